package dev.caravan.camel.vm;

import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.journal.RunSummary;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A Camel context with the caravan-vm component on fake hypervisors and an engine with an H2 journal. */
abstract class VmTestSupport {
    static final String A = "fakevm:a";
    static final String B = "fakevm:b";

    @TempDir
    Path home;
    CamelContext context;
    ProducerTemplate template;
    MigrationEngine engine;
    CaravanVmComponent vm;

    @BeforeEach
    void startContext() throws Exception {
        FakeHypervisors.reset();
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(home),
                ConnectorRegistry.of(new FakeHypervisors()));
        context = new DefaultCamelContext();
        vm = context.getComponent("caravan-vm", CaravanVmComponent.class);
        vm.setRegistry(engine.registry());
        vm.setEngine(engine);
        routes(context);
        context.start();
        template = context.createProducerTemplate();
    }

    /** Routes a test adds before the context starts. */
    void routes(CamelContext context) throws Exception {
    }

    @AfterEach
    void stopContext() {
        context.stop();
        engine.close();
    }

    static FakeHypervisors.Host host(String location) {
        return FakeHypervisors.host(location);
    }

    List<RunSummary> runs() {
        return engine.journal().runs(20);
    }

    TaskRecord task(String runId) {
        try (Stream<TaskRecord> tasks = engine.journal().tasks(runId, EnumSet.allOf(TaskState.class))) {
            return tasks.findFirst().orElseThrow();
        }
    }
}
