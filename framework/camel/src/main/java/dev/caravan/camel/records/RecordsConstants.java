package dev.caravan.camel.records;

import dev.caravan.camel.migration.CaravanConstants;
import org.apache.camel.spi.Metadata;

/**
 * Header names of the {@code caravan-records:} component. Input headers override the endpoint option of the same
 * name ({@code CamelCaravan} + the option name with a capital first letter, as for {@code caravan:}); output headers
 * describe the result, with the names the {@code caravan:} component uses where the meaning is the same.
 */
public final class RecordsConstants {

    // ---- input: per-exchange overrides of endpoint options (any option: CamelCaravan<Option>)
    @Metadata(label = "producer", description = "Overrides the operation: migrate, plan, verify or convert.",
              javaType = "String")
    public static final String OPERATION = CaravanConstants.OPERATION;
    @Metadata(label = "producer", description = "Overrides the source (scheme:location).", javaType = "String")
    public static final String SOURCE = CaravanConstants.SOURCE;
    @Metadata(label = "producer", description = "Overrides the target (scheme:location).", javaType = "String")
    public static final String TARGET = CaravanConstants.TARGET;
    @Metadata(label = "producer", description = "Source connector options, merged over the source.* options.",
              javaType = "Map<String, Object>")
    public static final String SOURCE_OPTIONS = CaravanConstants.SOURCE_OPTIONS;
    @Metadata(label = "producer", description = "Target connector options, merged over the target.* options.",
              javaType = "Map<String, Object>")
    public static final String TARGET_OPTIONS = CaravanConstants.TARGET_OPTIONS;

    // ---- output
    @Metadata(description = "Journal id of the run (migrate).", javaType = "String")
    public static final String RUN_ID = CaravanConstants.RUN_ID;
    @Metadata(description = "Deterministic id of the migration (migrate).", javaType = "String")
    public static final String MIGRATION_ID = CaravanConstants.MIGRATION_ID;
    @Metadata(description = "COMPLETE, FAILED or VERIFICATION_FAILED (migrate); COMPLETE (convert).",
              javaType = "String")
    public static final String OUTCOME = CaravanConstants.OUTCOME;
    @Metadata(description = "0 when complete and verified (migrate, convert) or clean (verify); else 1.",
              javaType = "Integer")
    public static final String EXIT_CODE = CaravanConstants.EXIT_CODE;
    @Metadata(description = "Rows (records) written by this run (migrate, convert).", javaType = "Long")
    public static final String ROWS = "CamelCaravanRows";
    @Metadata(description = "Rows (records) refused and not written (migrate, convert).", javaType = "Long")
    public static final String REJECTED = "CamelCaravanRejected";
    @Metadata(description = "Tables migrated or planned (migrate, plan).", javaType = "Integer")
    public static final String TABLES = "CamelCaravanTables";
    @Metadata(description = "Rows per second of the load phase (migrate, convert).", javaType = "Long")
    public static final String ROWS_PER_SECOND = "CamelCaravanRowsPerSecond";
    @Metadata(description = "Files written (convert).", javaType = "Integer")
    public static final String FILES = "CamelCaravanFiles";
    @Metadata(description = "Whether every range matched (verify, and migrate when it verified).",
              javaType = "Boolean")
    public static final String VERIFIED = CaravanConstants.VERIFIED;
    @Metadata(description = "Verification items that did not match (verify, migrate).", javaType = "Long")
    public static final String MISMATCHES = CaravanConstants.MISMATCHES;
    @Metadata(description = "The plan as text: per table the type mapping, target DDL, splits and sample rows"
                            + " (plan).", javaType = "String")
    public static final String PLAN_TEXT = "CamelCaravanPlanText";

    private RecordsConstants() {
    }
}
