package dev.caravan.application;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.application.model.Step;
import dev.caravan.camel.support.OptionValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code options:} of a vm step: connector options of each side ({@code source.<name>}, {@code target.<name>},
 * validated by the connector when it opens), cold-migration settings ({@code shutdownTimeout} default 60s,
 * {@code force} default false, {@code startTimeout} default 30s, {@code bandwidth} copy limit in bytes/s,
 * {@code linkBandwidth} for the forecast only, {@code transfers} default 2) and {@code removeSource} (default
 * false: after the whole cutover succeeded, undefine the source domain and delete its copied volumes). An unknown
 * name or a malformed value is a USER_CONFIG error naming the step.
 */
record VmStepOptions(Map<String, String> source, Map<String, String> target, ColdMigrationOptions cold,
        long linkBandwidth, boolean removeSource) {
    static final List<String> NAMES = List.of("shutdownTimeout", "force", "startTimeout", "bandwidth",
            "linkBandwidth", "transfers", "removeSource");

    static VmStepOptions of(Step.Vm step) {
        Map<String, String> source = new TreeMap<>();
        Map<String, String> target = new TreeMap<>();
        Map<String, String> o = step.options();
        for (Map.Entry<String, String> e : o.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("source.") && k.length() > 7) {
                source.put(k.substring(7), e.getValue());
            } else if (k.startsWith("target.") && k.length() > 7) {
                target.put(k.substring(7), e.getValue());
            } else if (!NAMES.contains(k)) {
                throw MigrationException.userConfig(step.location() + ": unknown option '" + k + "' of vm step '"
                        + step.id() + "'; allowed: " + NAMES + ", source.<connector option>, "
                        + "target.<connector option>");
            }
        }
        try {
            ColdMigrationOptions d = ColdMigrationOptions.defaults();
            Duration grace = OptionValues.duration("shutdownTimeout", o.get("shutdownTimeout"));
            Duration start = OptionValues.duration("startTimeout", o.get("startTimeout"));
            int transfers = OptionValues.intValue("transfers", o.get("transfers"), d.transfers());
            if (transfers < 1) {
                throw MigrationException.userConfig("option 'transfers' must be at least 1, got " + transfers);
            }
            // the source is never removed by the cold migration itself: only after the whole cutover succeeded
            ColdMigrationOptions cold = new ColdMigrationOptions(grace == null ? d.shutdownGrace() : grace,
                    OptionValues.bool("force", o.get("force"), false), true, start == null ? d.startTimeout()
                    : start, false, false, OptionValues.size("bandwidth", o.get("bandwidth"), 0), transfers);
            return new VmStepOptions(Map.copyOf(source), Map.copyOf(target), cold,
                    OptionValues.size("linkBandwidth", o.get("linkBandwidth"), 0),
                    OptionValues.bool("removeSource", o.get("removeSource"), false));
        } catch (MigrationException e) {
            throw MigrationException.userConfig(step.location() + ": vm step '" + step.id() + "': "
                    + e.getMessage());
        }
    }

    /** What the preflight's bandwidth figures use: the declared link, else the copy limit. */
    LiveMigrationOptions preflight() {
        return LiveMigrationOptions.builder().linkBandwidth(linkBandwidth > 0 ? linkBandwidth
                : cold.bandwidthBytesPerSec()).build();
    }
}
