package dev.caravan.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.application.model.ApplicationSpec;
import dev.caravan.application.model.Cutover;
import dev.caravan.application.model.HookPair;
import dev.caravan.application.model.Phase;
import dev.caravan.application.model.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeps runs of one application apart: a lock held for a whole run, and {@code cutover.json}, which says at
 * every point what the next run should do about this one.
 */
class CutoverStateTest {
    @TempDir
    Path tmp;

    @Test
    void aRunWhileAnotherRunOfTheApplicationHoldsItsLockIsRefusedAndTouchesNothing() throws Exception {
        AppFixture app = new AppFixture(tmp.resolve("env"));
        Path plan = app.write("app.yaml", app.examplePlan(app.old + "/uploads", """
                  cutover:
                    freeze:
                      - shell: 'touch ${ENV}/maintenance.flag'
                """));
        Path work = Files.createDirectories(tmp.resolve("work"));
        ApplicationSettings settings = ApplicationSettings.defaults().withWorkDir(tmp.resolve("work"))
                .withVariables(Map.of("ENV", app.env.toString()));

        ApplicationReport report;
        // what another run holds from its start (before its state file exists) until its end
        try (java.nio.channels.FileChannel other = java.nio.channels.FileChannel.open(work.resolve(".pinboard.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock held = other.lock()) {
            report = ApplicationMigration.load(plan, settings).run();
        }

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.INVALID);
        assertThat(report.failure()).contains("another run of application pinboard is in progress");
        assertThat(AppFixture.tree(app.fresh)).isEmpty();
        assertThat(app.env.resolve("maintenance.flag")).doesNotExist();
        assertThat(ApplicationMigration.load(plan, settings).run().outcome()).as("once the other run ended")
                .isEqualTo(ApplicationReport.Outcome.COMPLETE);
    }

    @Test
    void theCleanUpAfterTheSwitchRunsWithTheStateAlreadyComplete() throws Exception {
        Step step = new Step.Files("vmlike", List.of(), HookPair.NONE, "local:/a", Map.of(), "local:/b", Map.of(),
                "copy", 1, "app.yaml:3:7");
        String[] seen = new String[1];
        StepRunner runner = new StepRunner() {
            @Override
            public Step step() {
                return step;
            }

            @Override
            public StepPreview preview() {
                return new StepPreview(Map.of(), List.of(), null);
            }

            @Override
            public void prepare() {
            }

            @Override
            public Map<String, Object> pass(Phase phase) {
                return Map.of();
            }

            @Override
            public Verdict verify() {
                return new Verdict(true, "test", "ok");
            }

            @Override
            public String compensate() {
                return "nothing";
            }

            @Override
            public void restore(Map<String, Object> snapshot) {
            }

            @Override
            public String complete() { // e.g. a vm step removing the source domain: a kill here must not roll back
                try {
                    seen[0] = Files.readString(tmp.resolve(RunState.FILE));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                return "removed the source";
            }
        };
        ApplicationSpec spec = new ApplicationSpec("app", tmp.resolve("app.yaml"), List.of(step), Map.of(),
                Cutover.NONE);
        RunState state = RunState.start(tmp, "app", "r1", spec.file());
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            Throwable failure = new CutoverRun(spec, List.of(runner), camel, new HookRunner(camel, Map.of(), tmp),
                    state, "r1").execute();
            assertThat(failure).isNull();
        }

        assertThat(seen[0]).contains("\"status\" : \"COMPLETE\"");
    }
}
