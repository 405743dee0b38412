package dev.caravan.core.engine;

import dev.caravan.core.plan.MigrationSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/** A run's settings as its reports show them: what was asked, limits, rules, connector options (secrets masked). */
final class RunSettings {
    private RunSettings() {
    }

    /**
     * @param journalUrl   the journal's location as shown (passwords masked)
     * @param secret       whether an option of the source ({@code true}) or target side is a secret, shown as ****
     * @param backupSecret whether an option of the backup dir's connector ({@code --backup-option}) is a secret
     */
    static Map<String, String> of(MigrationSpec spec, String journalUrl, BiPredicate<Boolean, String> secret,
            Predicate<String> backupSecret) {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("source", spec.source());
        shown.put("target", spec.target());
        shown.put("mode", spec.mode().name().toLowerCase(Locale.ROOT));
        shown.put("verify", spec.verify().name().toLowerCase(Locale.ROOT));
        shown.put("compare", spec.compare().name().toLowerCase(Locale.ROOT));
        shown.put("transfers", Integer.toString(spec.transfers()));
        shown.put("bandwidth", spec.bandwidth() == 0 ? "unlimited" : spec.bandwidth() + " B/s");
        shown.put("maxDelete", spec.maxDelete() == null ? "none" : spec.maxDelete());
        shown.put("maxTransfer", spec.maxTransfer() == 0 ? "none" : spec.maxTransfer() + " B");
        shown.put("maxDuration", spec.maxDuration() == null ? "none" : spec.maxDuration().toString());
        shown.put("cutoffMode", spec.maxDuration() == null ? "none" : spec.cutoff().shown());
        shown.put("filters", spec.filters().describe());
        shown.put("metadataRules", spec.metadataRules().isEmpty() ? "none"
                : String.join(", ", spec.metadataRules()));
        shown.put("keyMap", spec.keyMap().isEmpty() ? "none" : String.join(", ", spec.keyMap()));
        shown.put("backupDir", spec.backup() == null ? "none" : spec.backup().shown());
        shown.put("journal", journalUrl);
        spec.sourceOptions().forEach((k, v) -> shown.put("source." + k, secret.test(true, k) ? "****" : v));
        spec.targetOptions().forEach((k, v) -> shown.put("target." + k, secret.test(false, k) ? "****" : v));
        if (spec.backup() != null) {
            spec.backup().options().forEach((k, v) -> shown.put("backup." + k, backupSecret.test(k) ? "****" : v));
        }
        return shown;
    }
}
