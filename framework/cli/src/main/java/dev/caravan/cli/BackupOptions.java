package dev.caravan.cli;

import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.MigrationSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --backup-dir}, {@code --suffix} and {@code --suffix-keep-extension} of copy, sync and move, as rclone's: where
 * the target objects a run deletes or overwrites are kept first ({@link BackupDir}).
 */
public final class BackupOptions {
    @Option(names = "--backup-dir", paramLabel = "LOCATION",
            description = "Keep every target object this run deletes (sync) or overwrites (a changed object) in"
                    + " LOCATION first, under the same relative key, e.g. local:/backups/2026-11-28 or"
                    + " s3:bucket/old/; the original is deleted or overwritten only once its copy is verified."
                    + " Server-side when LOCATION is on the target's server (S3, Azure Blob), else streamed. LOCATION"
                    + " must lie outside the source and the target; without --backup-option, on the target's connector it"
                    + " takes the --target-option values.")
    String backupDir;

    @Option(names = "--backup-option", paramLabel = "KEY=VALUE",
            description = "A connector option of --backup-dir (repeatable), e.g. its own endpoint or credentials;"
                    + " secrets are masked in reports and not kept in the journal.")
    Map<String, String> backupOptions = new LinkedHashMap<>();

    @Option(names = "--suffix", paramLabel = "SUFFIX",
            description = "Added to the name of each object kept in --backup-dir, e.g. .2026-11-28 (only with"
                    + " --backup-dir).")
    String suffix;

    @Option(names = "--suffix-keep-extension",
            description = "Put --suffix before the name's extension: a.txt is kept as a.2026-11-28.txt.")
    boolean suffixKeepExtension;

    /** {@code spec} keeping what it replaces in the backup dir given (none: as it is); a lone suffix is refused. */
    MigrationSpec applyTo(MigrationSpec spec) {
        BackupDir dir = BackupDir.of(backupDir, suffix, suffixKeepExtension, backupOptions);
        return dir == null ? spec : spec.toBuilder().backup(dir).build();
    }
}
