package dev.caravan.camel.migration;

import java.util.Locale;
import org.apache.camel.spi.Metadata;

/**
 * Header names of the {@code caravan:} component. Input headers override the endpoint option of the same name
 * ({@code CamelCaravan} + the option name with a capital first letter); output headers describe the result.
 *
 * <p>Every header name of the Caravan components starts with {@code Camel}, as Camel's own components' do
 * ({@code CamelAwsS3Key}): Camel's HTTP and JMS consumers drop such headers from outside, so a request cannot
 * choose the source, target or mode of a migration; only the route sets them
 * ({@code .setHeader(CaravanConstants.TARGET, ...)}).
 */
public final class CaravanConstants {

    // ---- input: per-exchange overrides of endpoint options
    @Metadata(label = "producer", description = "Overrides the operation: migrate, plan or verify.",
              javaType = "String")
    public static final String OPERATION = "CamelCaravanOperation";
    @Metadata(label = "producer", description = "Overrides the source location (scheme:location).",
              javaType = "String")
    public static final String SOURCE = "CamelCaravanSource";
    @Metadata(label = "producer", description = "Overrides the target location (scheme:location).",
              javaType = "String")
    public static final String TARGET = "CamelCaravanTarget";
    @Metadata(label = "producer", description = "Overrides the mode: copy, sync or move.", javaType = "String")
    public static final String MODE = "CamelCaravanMode";
    @Metadata(label = "producer", description = "Overrides the include globs (comma-separated).",
              javaType = "String")
    public static final String INCLUDE = "CamelCaravanInclude";
    @Metadata(label = "producer", description = "Overrides the exclude globs (comma-separated).",
              javaType = "String")
    public static final String EXCLUDE = "CamelCaravanExclude";
    @Metadata(label = "producer", description = "Overrides includeFrom (a file of include globs), read then.",
              javaType = "String")
    public static final String INCLUDE_FROM = "CamelCaravanIncludeFrom";
    @Metadata(label = "producer", description = "Overrides excludeFrom (a file of exclude globs), read then.",
              javaType = "String")
    public static final String EXCLUDE_FROM = "CamelCaravanExcludeFrom";
    @Metadata(label = "producer", description = "Overrides filesFrom (a file of the only keys to migrate), read then.",
              javaType = "String")
    public static final String FILES_FROM = "CamelCaravanFilesFrom";
    @Metadata(label = "producer", description = "Overrides minSize (e.g. 1k).", javaType = "String")
    public static final String MIN_SIZE = "CamelCaravanMinSize";
    @Metadata(label = "producer", description = "Overrides maxSize (e.g. 1G).", javaType = "String")
    public static final String MAX_SIZE = "CamelCaravanMaxSize";
    @Metadata(label = "producer", description = "Overrides minAge (e.g. 1h).", javaType = "String")
    public static final String MIN_AGE = "CamelCaravanMinAge";
    @Metadata(label = "producer", description = "Overrides maxAge (e.g. 30d).", javaType = "String")
    public static final String MAX_AGE = "CamelCaravanMaxAge";
    @Metadata(label = "producer", description = "Overrides compare: size-mtime, size or checksum.",
              javaType = "String")
    public static final String COMPARE = "CamelCaravanCompare";
    @Metadata(label = "producer", description = "Overrides verify: none, size or sha256.", javaType = "String")
    public static final String VERIFY = "CamelCaravanVerify";
    @Metadata(label = "producer", description = "Overrides maxDelete (100 or 10%).", javaType = "String")
    public static final String MAX_DELETE = "CamelCaravanMaxDelete";
    @Metadata(label = "producer", description = "Overrides metadataRules (';'-separated).", javaType = "String")
    public static final String METADATA_RULES = "CamelCaravanMetadataRules";
    @Metadata(label = "producer", description = "Overrides keyMap (';'-separated).", javaType = "String")
    public static final String KEY_MAP = "CamelCaravanKeyMap";
    @Metadata(label = "producer", description = "Overrides transfers.", javaType = "Integer")
    public static final String TRANSFERS = "CamelCaravanTransfers";
    @Metadata(label = "producer", description = "Overrides bandwidth (e.g. 10M).", javaType = "String")
    public static final String BANDWIDTH = "CamelCaravanBandwidth";
    @Metadata(label = "producer", description = "Overrides retries.", javaType = "Integer")
    public static final String RETRIES = "CamelCaravanRetries";
    @Metadata(label = "producer", description = "Overrides outageWait (e.g. 2m).", javaType = "String")
    public static final String OUTAGE_WAIT = "CamelCaravanOutageWait";
    @Metadata(label = "producer", description = "Overrides maxTransfer (e.g. 50G).", javaType = "String")
    public static final String MAX_TRANSFER = "CamelCaravanMaxTransfer";
    @Metadata(label = "producer", description = "Overrides maxDuration (e.g. 6h).", javaType = "String")
    public static final String MAX_DURATION = "CamelCaravanMaxDuration";
    @Metadata(label = "producer", description = "Overrides cutoffMode (hard, soft or cautious).", javaType = "String")
    public static final String CUTOFF_MODE = "CamelCaravanCutoffMode";
    @Metadata(label = "producer", description = "Overrides backupDir (e.g. local:/backups/2026-11-28).",
              javaType = "String")
    public static final String BACKUP_DIR = "CamelCaravanBackupDir";
    @Metadata(label = "producer", description = "Overrides suffix (e.g. .2026-11-28).", javaType = "String")
    public static final String SUFFIX = "CamelCaravanSuffix";
    @Metadata(label = "producer", description = "Overrides suffixKeepExtension.", javaType = "Boolean")
    public static final String SUFFIX_KEEP_EXTENSION = "CamelCaravanSuffixKeepExtension";
    @Metadata(label = "producer", description = "Overrides the migration's name.", javaType = "String")
    public static final String NAME = "CamelCaravanName";
    @Metadata(label = "producer", description = "Source connector options, merged over the source.* options.",
              javaType = "Map<String, Object>")
    public static final String SOURCE_OPTIONS = "CamelCaravanSourceOptions";
    @Metadata(label = "producer", description = "Target connector options, merged over the target.* options.",
              javaType = "Map<String, Object>")
    public static final String TARGET_OPTIONS = "CamelCaravanTargetOptions";
    @Metadata(label = "producer", description = "Connector options of the backup dir, merged over the backup.* options.",
              javaType = "Map<String, Object>")
    public static final String BACKUP_OPTIONS = "CamelCaravanBackupOptions";
    @Metadata(label = "producer", description = "Overrides backupConnector: the backup dir's connector options as"
              + " name=value;name=value.", javaType = "String")
    public static final String BACKUP_CONNECTOR = "CamelCaravanBackupConnector";

    // ---- output
    @Metadata(description = "Journal id of the run (migrate).", javaType = "String")
    public static final String RUN_ID = "CamelCaravanRunId";
    @Metadata(description = "Deterministic id of the migration.", javaType = "String")
    public static final String MIGRATION_ID = "CamelCaravanMigrationId";
    @Metadata(description = "How the run ended: COMPLETE, FAILED, VERIFICATION_FAILED or ABORTED (migrate).",
              javaType = "String")
    public static final String OUTCOME = "CamelCaravanOutcome";
    @Metadata(description = "0 when complete and verified (migrate), runnable (plan) or clean (verify); else 1.",
              javaType = "Integer")
    public static final String EXIT_CODE = "CamelCaravanExitCode";
    @Metadata(description = "Objects transferred by this run.", javaType = "Long")
    public static final String OBJECTS_COPIED = "CamelCaravanObjectsCopied";
    @Metadata(description = "Bytes transferred by this run.", javaType = "Long")
    public static final String BYTES_COPIED = "CamelCaravanBytesCopied";
    @Metadata(description = "Objects deleted by this run.", javaType = "Long")
    public static final String OBJECTS_DELETED = "CamelCaravanObjectsDeleted";
    @Metadata(description = "Target objects kept in backupDir by this run before they were deleted or overwritten.",
              javaType = "Long")
    public static final String OBJECTS_PRESERVED = "CamelCaravanObjectsPreserved";
    @Metadata(description = "Tasks that failed in this run.", javaType = "Long")
    public static final String OBJECTS_FAILED = "CamelCaravanObjectsFailed";
    @Metadata(description = "Path of the JSON report, if one was written.", javaType = "String")
    public static final String REPORT_JSON = "CamelCaravanReportJson";
    @Metadata(description = "Whether the plan would be allowed to run (plan).", javaType = "Boolean")
    public static final String RUNNABLE = "CamelCaravanRunnable";
    @Metadata(description = "Objects the plan would copy or replace (plan).", javaType = "Long")
    public static final String PLANNED_TRANSFERS = "CamelCaravanPlannedTransfers";
    @Metadata(description = "Bytes the plan would transfer (plan).", javaType = "Long")
    public static final String PLANNED_BYTES = "CamelCaravanPlannedBytes";
    @Metadata(description = "Objects the plan would delete (plan).", javaType = "Long")
    public static final String PLANNED_DELETES = "CamelCaravanPlannedDeletes";
    @Metadata(description = "Whether every object matched (verify).", javaType = "Boolean")
    public static final String VERIFIED = "CamelCaravanVerified";
    @Metadata(description = "Objects that did not match (verify).", javaType = "Long")
    public static final String MISMATCHES = "CamelCaravanMismatches";

    private CaravanConstants() {
    }

    /** The input header that overrides an endpoint option: {@code mode} gives {@code CamelCaravanMode}. */
    public static String headerOf(String option) {
        return "CamelCaravan" + option.substring(0, 1).toUpperCase(Locale.ROOT) + option.substring(1);
    }
}
