package dev.caravan.examples.javadsl;

import dev.caravan.api.error.MigrationException;
import dev.caravan.camel.migration.CaravanConstants;
import dev.caravan.core.plan.Mode;
import dev.caravan.runtime.Migration;
import java.util.Objects;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * A backup embedded in an integration project with Camel's Java DSL: at every {@code trigger} it syncs a directory to
 * a target (any Caravan location: {@code local:}, {@code s3:}, {@code sftp:}, ...), refusing to delete more than a
 * tenth of the target, and hands the outcome to the project's own endpoints:
 *
 * <ul>
 *   <li>{@code done}: the run completed and every object verified (headers {@code CamelCaravanRunId},
 *       {@code CamelCaravanObjectsCopied}, {@code CamelCaravanObjectsDeleted}, {@code CamelCaravanReportJson}; body
 *       the run's {@code RunResult});</li>
 *   <li>{@code failed}: the run ended but some objects failed or did not verify ({@code CamelCaravanExitCode} 1,
 *       {@code CamelCaravanOutcome} FAILED or VERIFICATION_FAILED); the next trigger resumes it, nothing copied
 *       twice;</li>
 *   <li>{@code refused}: nothing was written because the input is wrong (a missing source, refused credentials, the
 *       deletion guard): the exception's message says what to fix.</li>
 * </ul>
 *
 * See examples/java-dsl/README.md and docs/java-dsl.md.
 */
public class BackupRoutes extends RouteBuilder {
    private final String trigger;
    private final String source;
    private final String target;
    private final String done;
    private final String failed;
    private final String refused;

    /**
     * @param trigger what starts a backup: {@code quartz:backup/nightly?cron=0+0+2+*+*+?&stateful=true} (runs never
     *                overlap), {@code timer:once?repeatCount=1}, or any consumer endpoint
     * @param source  the location to back up, e.g. {@code local:/srv/data}
     * @param target  where to, e.g. {@code s3:backups/data}
     * @param done    endpoint told of a complete and verified backup
     * @param failed  endpoint told of a backup that ended with failed or mismatching objects
     * @param refused endpoint told of a backup refused before anything was written
     */
    public BackupRoutes(String trigger, String source, String target, String done, String failed, String refused) {
        this.trigger = Objects.requireNonNull(trigger);
        this.source = Objects.requireNonNull(source);
        this.target = Objects.requireNonNull(target);
        this.done = Objects.requireNonNull(done);
        this.failed = Objects.requireNonNull(failed);
        this.refused = Objects.requireNonNull(refused);
    }

    @Override
    public void configure() {
        // bad input (USER_CONFIG): Caravan refused before writing anything; retrying would only repeat the refusal
        onException(MigrationException.class)
                .handled(true)
                .log(LoggingLevel.ERROR, "backup refused: ${exception.message}")
                .to(refused);

        from(trigger).routeId("backup")
                .to(Migration.from(source).to(target)
                        .mode(Mode.SYNC)            // the target ends up equal to the source
                        .maxDelete("10%")           // ... unless that deletes more than a tenth of it: refused
                        .exclude("**/*.tmp")        // files being written by the application
                        .name("backup")
                        .uri())
                .choice()
                    .when(header(CaravanConstants.EXIT_CODE).isEqualTo(0))
                        .log("backup ${header.CamelCaravanRunId}: ${header.CamelCaravanObjectsCopied} copied,"
                                + " ${header.CamelCaravanObjectsDeleted} deleted, all verified")
                        .to(done)
                    .otherwise()
                        .log(LoggingLevel.WARN, "backup ${header.CamelCaravanRunId} ${header.CamelCaravanOutcome}:"
                                + " ${header.CamelCaravanObjectsFailed} failed; see ${header.CamelCaravanReportJson}")
                        .to(failed)
                .end();
    }
}
