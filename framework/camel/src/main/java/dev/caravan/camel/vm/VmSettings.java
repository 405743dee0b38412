package dev.caravan.camel.vm;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.LiveMigrationOptions.TimeoutAction;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.StorageMoveOptions;
import dev.caravan.api.vm.VmState;
import dev.caravan.camel.support.OptionValues;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The options of one exchange (or of an endpoint, at creation) turned into the SPI's option records. Values come
 * as text from a lookup that already applied header-over-option precedence; blank means "not set", unset options
 * keep the defaults of {@link LiveMigrationOptions#defaults()}, {@link ColdMigrationOptions#defaults()} and
 * {@link StorageMoveOptions}. Every malformed value or refused combination is a USER_CONFIG error naming the option.
 */
final class VmSettings {
    private final Function<String, String> values;

    VmSettings(Function<String, String> values) {
        this.values = values;
    }

    /** The option as trimmed text, or {@code null} when unset or blank. */
    String text(String option) {
        return OptionValues.text(values.apply(option));
    }

    private boolean bool(String option, boolean fallback) {
        return OptionValues.bool(option, text(option), fallback);
    }

    private long size(String option) {
        long v = OptionValues.size(option, text(option), 0);
        if (v < 0) {
            throw MigrationException.userConfig("option '" + option + "' must not be negative, got " + v);
        }
        return v;
    }

    private Duration duration(String option, Duration fallback) {
        Duration d = OptionValues.duration(option, text(option));
        if (d != null && d.isNegative()) {
            throw MigrationException.userConfig("option '" + option + "' must not be negative, got " + text(option));
        }
        return d == null ? fallback : d;
    }

    private int positive(String option, int fallback) {
        int v = OptionValues.intValue(option, text(option), fallback);
        if (v < 1) {
            throw MigrationException.userConfig("option '" + option + "' must be at least 1, got " + v);
        }
        return v;
    }

    /** Whether moves are journaled (option {@code journal}, default true). */
    boolean journal() {
        return bool("journal", true);
    }

    /** The kind of move the preflight operation checks (option {@code kind}, default live). */
    MigrationKind kind() {
        return OptionValues.enumValue("kind", text("kind"), MigrationKind.class, MigrationKind.LIVE);
    }

    /** The states list keeps (option {@code state}); empty for all. */
    Set<VmState> states() {
        Set<VmState> out = EnumSet.noneOf(VmState.class);
        for (String s : OptionValues.globs(text("state"))) {
            out.add(OptionValues.enumValue("state", s, VmState.class, null));
        }
        return out;
    }

    /** Whether list keeps a domain name: it matches an include glob (or there are none) and no exclude glob. */
    Predicate<String> names() {
        List<PathMatcher> include = matchers("include");
        List<PathMatcher> exclude = matchers("exclude");
        return name -> {
            Path p = Path.of(name);
            return (include.isEmpty() || include.stream().anyMatch(m -> m.matches(p)))
                    && exclude.stream().noneMatch(m -> m.matches(p));
        };
    }

    private List<PathMatcher> matchers(String option) {
        List<PathMatcher> out = new ArrayList<>();
        for (String glob : OptionValues.globs(text(option))) {
            try {
                out.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            } catch (IllegalArgumentException e) {
                throw MigrationException.userConfig("option '" + option + "': bad glob '" + glob + "': "
                        + e.getMessage());
            }
        }
        return out;
    }

    /** Option {@code completionTimeout}: {@code null} when unset, zero for never ({@code 0} is accepted as such). */
    private Duration completionTimeout() {
        return "0".equals(text("completionTimeout")) ? Duration.ZERO : duration("completionTimeout", null);
    }

    /** Live migration options (also the bandwidth figures of a cold or storage preflight). */
    LiveMigrationOptions live() {
        try {
            return LiveMigrationOptions.builder()
                    .sharedDisk(bool("sharedDisk", false))
                    .bandwidth(size("bandwidth"))
                    .maxDowntime(duration("maxDowntime", null))
                    .autoConverge(bool("autoConverge", false))
                    .postCopy(bool("postCopy", false))
                    .parallelConnections(positive("parallelConnections", 1))
                    .compression(bool("compression", false))
                    .peerToPeer(bool("peerToPeer", false))
                    .tunnelled(bool("tunnelled", false))
                    .completionTimeout(completionTimeout(), OptionValues.enumValue("timeoutAction",
                            text("timeoutAction"), TimeoutAction.class, TimeoutAction.ABORT))
                    .completionTimeoutPerGiB(duration("completionTimeoutPerGiB", null))
                    .persistOnTarget(bool("persistOnTarget", true))
                    .undefineSource(bool("undefineSource", true))
                    .allowUnsafe(bool("allowUnsafe", false))
                    .migrateUri(text("migrateUri"))
                    .disksUri(text("disksUri"))
                    .linkBandwidth(size("linkBandwidth"))
                    .dirtyRateSample(duration("dirtyRateSample", null))
                    .build();
        } catch (IllegalArgumentException e) {
            throw MigrationException.userConfig("live migration options: " + e.getMessage());
        }
    }

    /** Cold migration options. */
    ColdMigrationOptions cold() {
        ColdMigrationOptions d = ColdMigrationOptions.defaults();
        boolean undefine = bool("undefineSource", d.removeSource());
        return new ColdMigrationOptions(duration("shutdownTimeout", d.shutdownGrace()), bool("force", false),
                bool("startOnTarget", d.startOnTarget()), duration("startTimeout", d.startTimeout()), undefine,
                bool("deleteSourceVolumes", d.deleteSourceVolumes()), size("bandwidth"),
                positive("transfers", d.transfers()));
    }

    /**
     * Storage move options for {@code disk} (the caller resolves the default disk).
     *
     * @throws MigrationException USER_CONFIG unless exactly one of destinationPath and destinationPool is set
     */
    StorageMoveOptions storage(String disk) {
        String path = text("destinationPath");
        String pool = text("destinationPool");
        if ((path == null) == (pool == null)) {
            throw MigrationException.userConfig("moveStorage needs exactly one of the options destinationPath (an"
                    + " absolute path on the host) and destinationPool (a storage pool); got "
                    + (path == null ? "neither" : "both"));
        }
        Duration timeout = completionTimeout();
        return new StorageMoveOptions(disk, path, pool, text("format"), size("bandwidth"),
                timeout == null || timeout.isZero() ? null : timeout, bool("deleteSourceImage", false));
    }

    /** Parses every option that is set, so that a malformed value fails when the endpoint is created. */
    void validate() {
        journal();
        kind();
        states();
        names();
        live();
        cold();
        String path = text("destinationPath");
        if (path != null && text("destinationPool") != null) {
            storage("check");
        }
        bool("deleteSourceImage", false);
    }
}
