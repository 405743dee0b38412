package dev.caravan.core.plan;

import dev.caravan.api.error.MigrationException;
import java.util.Objects;

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
 */
public record BackupDir(String location, String suffix, boolean keepExtension) {

    public BackupDir {
        Objects.requireNonNull(location, "location");
        if (location.isBlank()) {
            throw MigrationException.userConfig("the backup dir must be a location, e.g. local:/backups/today");
        }
        suffix = suffix == null || suffix.isEmpty() ? null : suffix;
        if (suffix != null && suffix.contains("/")) {
            throw MigrationException.userConfig("the backup suffix is added to a file name and cannot contain '/': '"
                    + suffix + "'");
        }
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

    /** How reports show it: the location, and the suffix when there is one. */
    public String shown() {
        return location + (suffix == null ? "" : " (suffix " + suffix + (keepExtension ? ", before the extension" : "")
                + ")");
    }
}
