package dev.caravan.camel.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.camel.FiniteConsumer;
import dev.caravan.camel.testing.MemoryStoreProvider;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.journal.RunSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consumer keeps its passes in the engine's journal: one run per pass, one task per object. */
class ObjectsJournalTest {
    private static final Set<String> KEYS = Set.of("x1.txt", "x2.txt", "x3.txt", "x4.txt");

    @TempDir
    Path home;
    private final String src = "j-src-" + UUID.randomUUID();
    private final String dst = "j-dst-" + UUID.randomUUID();
    private MigrationEngine engine;
    private final List<CamelContext> contexts = new ArrayList<>();

    @BeforeEach
    void fill() {
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(home));
        for (String key : KEYS) {
            MemoryStoreProvider.space(src).put(key, ("content of " + key).getBytes(StandardCharsets.UTF_8),
                    Instant.parse("2024-01-01T00:00:00Z"));
        }
    }

    @AfterEach
    void stop() {
        contexts.forEach(CamelContext::stop);
        engine.close();
    }

    /** Starts a context (a process, as far as the journal can tell) with one route from the consumer. */
    private List<String> runOnce(String options, String steps, Consumer<Exchange> before) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CamelContext context = new DefaultCamelContext();
        contexts.add(context);
        context.getRegistry().bind("engine", engine);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                var route = from("caravan-objects:mem:" + src + "?target=mem:" + dst + "&once=true" + options)
                        .routeId("copy")
                        .process(e -> seen.add(e.getIn().getHeader(ObjectsConstants.KEY, String.class)))
                        .process(before::accept);
                if (steps != null) {
                    route.to(steps);
                }
            }
        });
        context.start();
        FiniteConsumer consumer = (FiniteConsumer) context.getRoute("copy").getConsumer();
        await().atMost(Duration.ofSeconds(20)).until(() -> consumer.finished()
                && context.getInflightRepository().size() == 0);
        context.stop();
        return seen;
    }

    private List<RunSummary> runs() {
        return engine.journal().runs(10);
    }

    private List<TaskRecord> tasks(String runId) {
        try (Stream<TaskRecord> s = engine.journal().tasks(runId, EnumSet.allOf(TaskState.class))) {
            return s.toList();
        }
    }

    @Test
    void aFailedObjectIsTheOnlyOneEmittedAgainAndEveryTaskEndsDone() throws Exception {
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        Consumer<Exchange> failX2Once = e -> {
            if ("x2.txt".equals(e.getIn().getHeader(ObjectsConstants.KEY)) && failedOnce.add("x2.txt")) {
                throw new IllegalStateException("failing x2.txt on purpose");
            }
        };
        String copy = "caravan-objects:mem:" + src + "?operation=copy";

        List<String> first = runOnce("", copy, failX2Once);

        assertThat(first).containsExactlyInAnyOrderElementsOf(KEYS);
        await().atMost(Duration.ofSeconds(10)).until(() -> runs().size() == 1 && runs().get(0).finishedAt() != null);
        RunSummary run1 = runs().get(0);
        assertThat(run1.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(tasks(run1.runId())).extracting(t -> t.spec().item() + "=" + t.state())
                .containsExactlyInAnyOrder("x1.txt=DONE", "x2.txt=FAILED", "x3.txt=DONE", "x4.txt=DONE");
        assertThat(tasks(run1.runId())).filteredOn(t -> t.state() == TaskState.FAILED).singleElement()
                .satisfies(t -> assertThat(t.error()).contains("failing x2.txt on purpose"));
        assertThat(MemoryStoreProvider.space(dst).keys()).containsExactlyInAnyOrder("x1.txt", "x3.txt", "x4.txt");

        List<String> second = runOnce("", copy, failX2Once);

        assertThat(second).containsExactly("x2.txt");
        await().atMost(Duration.ofSeconds(10)).until(() -> runs().size() == 2 && runs().get(0).finishedAt() != null);
        RunSummary run2 = runs().get(0);
        assertThat(run2.outcome()).isEqualTo(RunOutcome.COMPLETE);
        List<TaskRecord> all = new ArrayList<>(tasks(run1.runId()));
        all.addAll(tasks(run2.runId()));
        assertThat(all).extracting(t -> t.spec().item()).containsExactlyInAnyOrderElementsOf(KEYS);
        assertThat(all).allSatisfy(t -> assertThat(t.state()).as(t.spec().item()).isEqualTo(TaskState.DONE));
        assertThat(tasks(run2.runId())).singleElement().satisfies(t -> {
            assertThat(t.report().values()).containsEntry("camel.route", "copy").containsKey("hash.sha256");
            assertThat(t.report().bytes()).isEqualTo("content of x2.txt".length());
        });
        assertThat(MemoryStoreProvider.space(dst).keys()).containsExactlyInAnyOrderElementsOf(KEYS);
    }

    @Test
    void aPassCutShortIsTakenUpWhereItStopped() throws Exception {
        // the route copies nothing, so the diff alone would emit every object again: only the journal skips
        List<String> first = runOnce("", null, new Consumer<>() {
            private int count;

            @Override
            public void accept(Exchange e) {
                e.getIn().setHeader("seen", ++count);
                if (count == 2) {
                    ((ObjectsConsumer) e.getContext().getRoute("copy").getConsumer()).suspend();
                }
            }
        });

        assertThat(first).hasSize(2);
        assertThat(runs()).singleElement().satisfies(r -> {
            assertThat(r.finishedAt()).isNull();
            assertThat(r.tasksDone()).isEqualTo(2);
        });

        List<String> second = runOnce("", null, e -> { });

        assertThat(second).containsExactlyInAnyOrderElementsOf(KEYS.stream().filter(k -> !first.contains(k))
                .toList());
        await().atMost(Duration.ofSeconds(10)).until(() -> runs().get(0).finishedAt() != null);
        assertThat(runs()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.tasksDone()).isEqualTo(4);
        });
    }

    @Test
    void headersCarryRunAndTaskAndJournalCanBeTurnedOff() throws Exception {
        List<String> runIds = new CopyOnWriteArrayList<>();
        runOnce("", null, e -> runIds.add(e.getIn().getHeader(ObjectsConstants.RUN_ID, String.class)
                + "/" + e.getIn().getHeader(ObjectsConstants.TASK_ID, String.class).length()));
        assertThat(runIds).hasSize(4).allSatisfy(id -> assertThat(id).isEqualTo(runs().get(0).runId() + "/32"));

        List<Object> none = new CopyOnWriteArrayList<>();
        runOnce("&journal=false", null, e -> none.add(String.valueOf(e.getIn().getHeader(ObjectsConstants.RUN_ID))));
        assertThat(none).hasSize(4).containsOnly("null");
        assertThat(runs()).hasSize(1);
    }

    @Test
    void journalTrueWithoutAnEngineIsAConfigurationError() {
        CamelContext context = new DefaultCamelContext();
        contexts.add(context);
        context.start();
        CaravanObjectsEndpoint endpoint = context.getEndpoint("caravan-objects:mem:" + src + "?journal=true",
                CaravanObjectsEndpoint.class);
        assertThatThrownBy(endpoint::consumerJournal)
                .hasMessageContaining("option 'journal=true' of ").hasMessageContaining(" needs a MigrationEngine");
        assertThat(context.getEndpoint("caravan-objects:mem:" + src, CaravanObjectsEndpoint.class)
                .consumerJournal()).isEmpty();
    }
}
