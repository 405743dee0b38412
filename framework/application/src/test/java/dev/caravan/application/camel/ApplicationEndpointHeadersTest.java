package dev.caravan.application.camel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.application.ApplicationPlan;
import dev.caravan.camel.migration.CaravanConstants;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code caravan-application:} endpoint's headers share the {@code CamelCaravan} names of the other Caravan
 * components: a request header with the old name {@code CaravanPlanFile} (which Camel's HTTP and JMS consumers let
 * through) does not choose the plan, and the outcome is read with {@link CaravanConstants}.
 */
class ApplicationEndpointHeadersTest {
    @TempDir
    Path tmp;

    private Path plan(String name) throws Exception {
        Path from = Files.createDirectories(tmp.resolve(name + "/old"));
        Files.writeString(from.resolve("a.txt"), name);
        return Files.writeString(tmp.resolve(name + ".yaml"), """
                application:
                  name: %s
                  steps:
                    - {id: files, kind: files, from: "local:%s", to: "local:%s"}
                """.formatted(name, from, tmp.resolve(name + "/new")));
    }

    @Test
    void thePlanIsTheUrisWhateverAnOldNamedHeaderSaysAndTheOutcomeHasTheCaravanNames() throws Exception {
        Path mine = plan("mine");
        Path intruder = plan("intruder");
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getComponent("caravan-application", ApplicationComponent.class)
                    .setWorkDir(tmp.resolve("work").toString());
            camel.start();
            Exchange done = camel.createProducerTemplate().request("caravan-application:plan?planFile=" + mine,
                    e -> e.getMessage().setHeader("CaravanPlanFile", intruder.toString()));
            assertThat(done.getException()).isNull();
            assertThat(done.getMessage().getBody(ApplicationPlan.class).name()).isEqualTo("mine");
            assertThat(done.getMessage().getHeader(CaravanConstants.EXIT_CODE)).isEqualTo(0);
            assertThat(done.getMessage().getHeader(CaravanConstants.OUTCOME)).isEqualTo("RUNNABLE");
            assertThat(done.getMessage().getHeader(ApplicationConstants.APPLICATION)).isEqualTo("mine");
            assertThat(done.getMessage().getHeader("CaravanApplication")).isNull();
        }
    }
}
