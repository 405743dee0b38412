package dev.caravan.camel.migration;

import java.util.Locale;
import org.apache.camel.spi.Metadata;

/**
 * Header names of the {@code caravan:} component. Input headers override the endpoint option of the same name
 * ({@code Caravan} + the option name with a capital first letter); output headers describe the result.
 */
public final class CaravanConstants {

    // ---- input: per-exchange overrides of endpoint options
    @Metadata(label = "producer", description = "Overrides the operation: migrate, plan or verify.",
              javaType = "String")
    public static final String OPERATION = "CaravanOperation";
    @Metadata(label = "producer", description = "Overrides the source location (scheme:location).",
              javaType = "String")
    public static final String SOURCE = "CaravanSource";
    @Metadata(label = "producer", description = "Overrides the target location (scheme:location).",
              javaType = "String")
    public static final String TARGET = "CaravanTarget";
    @Metadata(label = "producer", description = "Overrides the mode: copy, sync or move.", javaType = "String")
    public static final String MODE = "CaravanMode";
    @Metadata(label = "producer", description = "Overrides the include globs (comma-separated).",
              javaType = "String")
    public static final String INCLUDE = "CaravanInclude";
    @Metadata(label = "producer", description = "Overrides the exclude globs (comma-separated).",
              javaType = "String")
    public static final String EXCLUDE = "CaravanExclude";
    @Metadata(label = "producer", description = "Overrides includeFrom (a file of include globs), read then.",
              javaType = "String")
    public static final String INCLUDE_FROM = "CaravanIncludeFrom";
    @Metadata(label = "producer", description = "Overrides excludeFrom (a file of exclude globs), read then.",
              javaType = "String")
    public static final String EXCLUDE_FROM = "CaravanExcludeFrom";
    @Metadata(label = "producer", description = "Overrides filesFrom (a file of the only keys to migrate), read then.",
              javaType = "String")
    public static final String FILES_FROM = "CaravanFilesFrom";
    @Metadata(label = "producer", description = "Overrides minSize (e.g. 1k).", javaType = "String")
    public static final String MIN_SIZE = "CaravanMinSize";
    @Metadata(label = "producer", description = "Overrides maxSize (e.g. 1G).", javaType = "String")
    public static final String MAX_SIZE = "CaravanMaxSize";
    @Metadata(label = "producer", description = "Overrides minAge (e.g. 1h).", javaType = "String")
    public static final String MIN_AGE = "CaravanMinAge";
    @Metadata(label = "producer", description = "Overrides maxAge (e.g. 30d).", javaType = "String")
    public static final String MAX_AGE = "CaravanMaxAge";
    @Metadata(label = "producer", description = "Overrides compare: size-mtime, size or checksum.",
              javaType = "String")
    public static final String COMPARE = "CaravanCompare";
    @Metadata(label = "producer", description = "Overrides verify: none, size or sha256.", javaType = "String")
    public static final String VERIFY = "CaravanVerify";
    @Metadata(label = "producer", description = "Overrides maxDelete (100 or 10%).", javaType = "String")
    public static final String MAX_DELETE = "CaravanMaxDelete";
    @Metadata(label = "producer", description = "Overrides metadataRules (';'-separated).", javaType = "String")
    public static final String METADATA_RULES = "CaravanMetadataRules";
    @Metadata(label = "producer", description = "Overrides keyMap (';'-separated).", javaType = "String")
    public static final String KEY_MAP = "CaravanKeyMap";
    @Metadata(label = "producer", description = "Overrides transfers.", javaType = "Integer")
    public static final String TRANSFERS = "CaravanTransfers";
    @Metadata(label = "producer", description = "Overrides bandwidth (e.g. 10M).", javaType = "String")
    public static final String BANDWIDTH = "CaravanBandwidth";
    @Metadata(label = "producer", description = "Overrides retries.", javaType = "Integer")
    public static final String RETRIES = "CaravanRetries";
    @Metadata(label = "producer", description = "Overrides outageWait (e.g. 2m).", javaType = "String")
    public static final String OUTAGE_WAIT = "CaravanOutageWait";
    @Metadata(label = "producer", description = "Overrides maxTransfer (e.g. 50G).", javaType = "String")
    public static final String MAX_TRANSFER = "CaravanMaxTransfer";
    @Metadata(label = "producer", description = "Overrides maxDuration (e.g. 6h).", javaType = "String")
    public static final String MAX_DURATION = "CaravanMaxDuration";
    @Metadata(label = "producer", description = "Overrides cutoffMode (hard, soft or cautious).", javaType = "String")
    public static final String CUTOFF_MODE = "CaravanCutoffMode";
    @Metadata(label = "producer", description = "Overrides backupDir (e.g. local:/backups/2026-11-28).",
              javaType = "String")
    public static final String BACKUP_DIR = "CaravanBackupDir";
    @Metadata(label = "producer", description = "Overrides suffix (e.g. .2026-11-28).", javaType = "String")
    public static final String SUFFIX = "CaravanSuffix";
    @Metadata(label = "producer", description = "Overrides suffixKeepExtension.", javaType = "Boolean")
    public static final String SUFFIX_KEEP_EXTENSION = "CaravanSuffixKeepExtension";
    @Metadata(label = "producer", description = "Overrides the migration's name.", javaType = "String")
    public static final String NAME = "CaravanName";
    @Metadata(label = "producer", description = "Source connector options, merged over the source.* options.",
              javaType = "Map<String, Object>")
    public static final String SOURCE_OPTIONS = "CaravanSourceOptions";
    @Metadata(label = "producer", description = "Target connector options, merged over the target.* options.",
              javaType = "Map<String, Object>")
    public static final String TARGET_OPTIONS = "CaravanTargetOptions";
    @Metadata(label = "producer", description = "Connector options of the backup dir, merged over the backup.* options.",
              javaType = "Map<String, Object>")
    public static final String BACKUP_OPTIONS = "CaravanBackupOptions";
    @Metadata(label = "producer", description = "Overrides backupConnector: the backup dir's connector options as"
              + " name=value;name=value.", javaType = "String")
    public static final String BACKUP_CONNECTOR = "CaravanBackupConnector";

    // ---- output
    @Metadata(description = "Journal id of the run (migrate).", javaType = "String")
    public static final String RUN_ID = "CaravanRunId";
    @Metadata(description = "Deterministic id of the migration.", javaType = "String")
    public static final String MIGRATION_ID = "CaravanMigrationId";
    @Metadata(description = "How the run ended: COMPLETE, FAILED, VERIFICATION_FAILED or ABORTED (migrate).",
              javaType = "String")
    public static final String OUTCOME = "CaravanOutcome";
    @Metadata(description = "0 when complete and verified (migrate), runnable (plan) or clean (verify); else 1.",
              javaType = "Integer")
    public static final String EXIT_CODE = "CaravanExitCode";
    @Metadata(description = "Objects transferred by this run.", javaType = "Long")
    public static final String OBJECTS_COPIED = "CaravanObjectsCopied";
    @Metadata(description = "Bytes transferred by this run.", javaType = "Long")
    public static final String BYTES_COPIED = "CaravanBytesCopied";
    @Metadata(description = "Objects deleted by this run.", javaType = "Long")
    public static final String OBJECTS_DELETED = "CaravanObjectsDeleted";
    @Metadata(description = "Target objects kept in backupDir by this run before they were deleted or overwritten.",
              javaType = "Long")
    public static final String OBJECTS_PRESERVED = "CaravanObjectsPreserved";
    @Metadata(description = "Tasks that failed in this run.", javaType = "Long")
    public static final String OBJECTS_FAILED = "CaravanObjectsFailed";
    @Metadata(description = "Path of the JSON report, if one was written.", javaType = "String")
    public static final String REPORT_JSON = "CaravanReportJson";
    @Metadata(description = "Whether the plan would be allowed to run (plan).", javaType = "Boolean")
    public static final String RUNNABLE = "CaravanRunnable";
    @Metadata(description = "Objects the plan would copy or replace (plan).", javaType = "Long")
    public static final String PLANNED_TRANSFERS = "CaravanPlannedTransfers";
    @Metadata(description = "Bytes the plan would transfer (plan).", javaType = "Long")
    public static final String PLANNED_BYTES = "CaravanPlannedBytes";
    @Metadata(description = "Objects the plan would delete (plan).", javaType = "Long")
    public static final String PLANNED_DELETES = "CaravanPlannedDeletes";
    @Metadata(description = "Whether every object matched (verify).", javaType = "Boolean")
    public static final String VERIFIED = "CaravanVerified";
    @Metadata(description = "Objects that did not match (verify).", javaType = "Long")
    public static final String MISMATCHES = "CaravanMismatches";

    private CaravanConstants() {
    }

    /** The input header that overrides an endpoint option: {@code mode} gives {@code CaravanMode}. */
    public static String headerOf(String option) {
        return "Caravan" + option.substring(0, 1).toUpperCase(Locale.ROOT) + option.substring(1);
    }
}
