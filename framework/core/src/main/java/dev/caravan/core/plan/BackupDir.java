package dev.caravan.core.plan;

import dev.caravan.api.error.MigrationException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a run keeps what it would otherwise lose on the target ({@code --backup-dir}, as rclone's): every target
 * object a sync deletes, or a copy, sync or move overwrites, is first copied to {@code location} under the same relative
 * key, with {@code suffix} added to its name, and removed or overwritten only once that copy is complete and verified.
 *
 * @param location      any Caravan location, e.g. {@code local:/backups/2026-11-28} or {@code s3:bucket/old/}; it must
 *                      lie outside the target and the source
 * @param suffix        added to the name of each preserved object ({@code .2026-11-28}), or {@code null} for none
 * @param keepExtension whether the suffix goes before the name's extension ({@code a.txt} to {@code a.2026-11-28.txt}),
 *                      as rclone's {@code --suffix-keep-extension}
 * @param options       connector options of {@code location} ({@code --backup-option}: its own endpoint, credentials),
 *                      or empty: then it takes the target's options when it is on the target's connector, else that
 *                      connector's defaults. Secret ones are masked wherever the run shows or keeps them
 */
public record BackupDir(String location, String suffix, boolean keepExtension, Map<String, String> options) {

    public BackupDir {
        Objects.requireNonNull(location, "location");
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(options));
        if (location.isBlank()) {
            throw MigrationException.userConfig("the backup dir must be a location, e.g. local:/backups/today");
        }
        suffix = suffix == null || suffix.isEmpty() ? null : suffix;
        if (suffix != null && suffix.contains("/")) {
            throw MigrationException.userConfig("the backup suffix is added to a file name and cannot contain '/': '"
                    + suffix + "'");
        }
    }

    /** A backup dir without connector options of its own. */
    public BackupDir(String location, String suffix, boolean keepExtension) {
        this(location, suffix, keepExtension, Map.of());
    }

    /** This backup dir with {@code connectorOptions} for its location (see {@link #options}). */
    public BackupDir withOptions(Map<String, String> connectorOptions) {
        return new BackupDir(location, suffix, keepExtension, connectorOptions);
    }

    /**
     * The backup dir these options give, or {@code null} without a location; a suffix (or keep-extension) without a
     * location is refused: Caravan keeps replaced objects only in a backup dir, never beside the original.
     */
    public static BackupDir of(String location, String suffix, boolean keepExtension) {
        boolean noLocation = location == null || location.isBlank();
        if (noLocation && (suffix != null && !suffix.isEmpty() || keepExtension)) {
            throw MigrationException.userConfig("a backup suffix" + (keepExtension ? " (or keep-extension)" : "")
                    + " names the copies kept in a backup dir: give the backup dir too (--backup-dir LOCATION,"
                    + " backupDir in YAML), or leave the suffix out");
        }
        return noLocation ? null : new BackupDir(location, suffix, keepExtension);
    }

    /**
     * As {@link #of(String, String, boolean)}, with connector options for the location; options without a location
     * are refused too (they would be silently ignored).
     */
    public static BackupDir of(String location, String suffix, boolean keepExtension, Map<String, String> options) {
        BackupDir dir = of(location, suffix, keepExtension);
        if (dir == null && options != null && !options.isEmpty()) {
            throw MigrationException.userConfig("backup options (" + String.join(", ", new TreeMap<>(options).keySet())
                    + ") are the connector options of a backup dir: give the backup dir too (--backup-dir LOCATION,"
                    + " backupDir in YAML), or leave them out");
        }
        return dir == null ? null : dir.withOptions(options);
    }

    /** The key under {@link #location()} that keeps the target's object {@code targetKey}. */
    public String keyFor(String targetKey) {
        if (suffix == null) {
            return targetKey;
        }
        int slash = targetKey.lastIndexOf('/');
        int dot = targetKey.lastIndexOf('.');
        // a name's extension: after its last dot, not a leading one (.profile has none)
        if (keepExtension && dot > slash + 1) {
            return targetKey.substring(0, dot) + suffix + targetKey.substring(dot);
        }
        return targetKey + suffix;
    }

    /** Without the options' values (they may be secrets): only their names. */
    @Override
    public String toString() {
        return "BackupDir[location=" + location + ", suffix=" + suffix + ", keepExtension=" + keepExtension
                + ", options=" + options.keySet() + "]";
    }

    /** How reports show it: the location, and the suffix when there is one. */
    public String shown() {
        return location + (suffix == null ? "" : " (suffix " + suffix + (keepExtension ? ", before the extension" : "")
                + ")");
    }
}
