package dev.caravan.application.camel;

import dev.caravan.camel.migration.CaravanConstants;
import org.apache.camel.spi.Metadata;

/**
 * Header names of the {@code caravan-application:} component, with the names the {@code caravan:} component uses
 * where the meaning is the same. Names start with {@code Camel} so that headers from outside cannot set them (see
 * {@link CaravanConstants}).
 */
public final class ApplicationConstants {

    // ---- input
    @Metadata(label = "producer", description = "Overrides planFile: the application plan file (YAML).",
              javaType = "String")
    public static final String PLAN_FILE = "CamelCaravanPlanFile";

    // ---- output
    @Metadata(description = "0 when complete and verified (run) or runnable (plan); 1 failed, 2 refused.",
              javaType = "Integer")
    public static final String EXIT_CODE = CaravanConstants.EXIT_CODE;
    @Metadata(description = "How the run ended (e.g. COMPLETE, ROLLED_BACK); RUNNABLE or NOT_RUNNABLE (plan).",
              javaType = "String")
    public static final String OUTCOME = CaravanConstants.OUTCOME;
    @Metadata(description = "Name of the application.", javaType = "String")
    public static final String APPLICATION = "CamelCaravanApplication";
    @Metadata(description = "Id of the run (run).", javaType = "String")
    public static final String RUN_ID = CaravanConstants.RUN_ID;
    @Metadata(description = "The step that failed, if one did (run).", javaType = "String")
    public static final String FAILING_STEP = "CamelCaravanFailingStep";
    @Metadata(description = "Path of the run's report.txt (run).", javaType = "String")
    public static final String REPORT = "CamelCaravanReport";

    private ApplicationConstants() {
    }
}
