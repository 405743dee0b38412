package dev.caravan.camel.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.camel.support.BadInput;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.engine.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through the engine and the local connector (needs caravan-core's engine). */
class CaravanProducerTest {
    @TempDir
    Path tmp;
    private Path source;
    private Path target;
    private MigrationEngine engine;
    private CamelContext context;
    private ProducerTemplate template;
    private final List<Object> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        source = Files.createDirectories(tmp.resolve("src"));
        target = Files.createDirectories(tmp.resolve("dst"));
        Files.writeString(Files.createDirectories(source.resolve("a")).resolve("one.csv"), "1,2,3\n");
        Files.write(source.resolve("two.bin"), new byte[] {0, 1, 2, (byte) 255});
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")));
        context = new DefaultCamelContext();
        context.getRegistry().bind("engine", engine);
        context.start();
        context.getComponent("caravan", CaravanComponent.class).addListener(new MigrationListener() {
            @Override
            public void onRun(RunResult result) {
                heard.add(result);
            }

            @Override
            public void onPlan(PlanResult result) {
                heard.add(result);
            }
        });
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
        engine.close();
    }

    private String uri(String operation) {
        return "caravan:" + operation + "?source=local:" + source + "&target=local:" + target + "&name=unit";
    }

    @Test
    void migrateCopiesVerifiesAndReports() throws Exception {
        assertThat(context.getComponent("caravan", CaravanComponent.class).engine()).isSameAs(engine);

        Exchange plan = template.request(uri("plan"), e -> { });
        assertThat(plan.getException()).isNull();
        assertThat(plan.getMessage().getBody(PlanResult.class).summary().transferCount()).isEqualTo(2);
        assertThat(plan.getMessage().getHeader(CaravanConstants.PLANNED_TRANSFERS)).isEqualTo(2L);
        assertThat(Files.exists(target.resolve("two.bin"))).isFalse();

        Exchange run = template.request(uri("migrate"), e -> { });
        assertThat(run.getException()).isNull();
        RunResult result = run.getMessage().getBody(RunResult.class);
        assertThat(result.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(run.getMessage().getHeader(CaravanConstants.EXIT_CODE)).isEqualTo(0);
        assertThat(run.getMessage().getHeader(CaravanConstants.OBJECTS_COPIED)).isEqualTo(2L);
        assertThat(run.getMessage().getHeader(CaravanConstants.RUN_ID)).isEqualTo(result.runId());
        assertThat(Files.readAllBytes(target.resolve("a/one.csv"))).isEqualTo(Files.readAllBytes(
                source.resolve("a/one.csv")));
        assertThat(Files.readAllBytes(target.resolve("two.bin"))).isEqualTo(new byte[] {0, 1, 2, (byte) 255});
        assertThat(heard).hasSize(2);

        Exchange verify = template.request(uri("verify"), e -> { });
        assertThat(verify.getMessage().getBody(VerificationReport.class).clean()).isTrue();
        assertThat(verify.getMessage().getHeader(CaravanConstants.VERIFIED)).isEqualTo(true);
    }

    @Test
    void theOperationHeaderTurnsAMigrationIntoAPlan() {
        Exchange plan = template.request(uri("migrate"), e -> e.getIn().setHeader(CaravanConstants.OPERATION,
                "plan"));
        assertThat(plan.getMessage().getBody()).isInstanceOf(PlanResult.class);
        assertThat(Files.exists(target.resolve("two.bin"))).isFalse();
    }

    @Test
    void badInputIsMarkedOnTheExchangeAndNothingIsWritten() throws Exception {
        Files.writeString(target.resolve("extra-1.txt"), "x");
        Files.writeString(target.resolve("extra-2.txt"), "y");
        Exchange refused = template.request(uri("migrate") + "&mode=sync&maxDelete=1", e -> { });
        assertThat(refused.getException()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("more than maxDelete=1 allows");
        assertThat(BadInput.failedWith(refused)).isTrue();
        assertThat(Files.exists(target.resolve("two.bin"))).isFalse();

        Exchange missing = template.request("caravan:migrate?source=local:" + tmp.resolve("nope") + "&target=local:"
                + target, e -> { });
        assertThat(((MigrationException) missing.getException()).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(BadInput.failedWith(missing)).isTrue();

        Exchange fine = template.request(uri("migrate"), e -> { });
        assertThat(fine.getException()).isNull();
        assertThat(BadInput.failedWith(fine)).isFalse();
    }
}
