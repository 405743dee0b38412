package dev.caravan.core.plan;

import dev.caravan.api.error.MigrationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a command's max duration ({@link MigrationSpec#maxDuration()}) does to transfers, as rclone's
 * {@code --cutoff-mode}. Whatever the mode, the run then stops unfinished and the same command continues it.
 */
public enum CutoffMode {
    /**
     * At the deadline the transfers in flight are stopped: neither failed nor done, left as a killed run leaves them
     * (a multipart upload's recorded parts are reused by the next run). The default.
     */
    HARD,
    /** At the deadline no object starts; those in flight finish. */
    SOFT,
    /**
     * No object starts that would not finish before the deadline at the throughput measured so far in the run (any
     * object starts before there is a measurement); those in flight finish.
     */
    CAUTIOUS;

    /** The mode a command gets when it sets a max duration without a mode. */
    public static final CutoffMode DEFAULT = HARD;

    /** The mode named {@code text} ({@code hard}, {@code soft}, {@code cautious}, any case); USER_CONFIG otherwise. */
    public static CutoffMode parse(String text) {
        for (CutoffMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw MigrationException.userConfig("unknown cut-off mode '" + text + "': one of " + Arrays.stream(values())
                .map(CutoffMode::shown).collect(Collectors.joining(", ")));
    }

    /** The name users write: {@code hard}, {@code soft}, {@code cautious}. */
    public String shown() {
        return name().toLowerCase(Locale.ROOT);
    }
}
