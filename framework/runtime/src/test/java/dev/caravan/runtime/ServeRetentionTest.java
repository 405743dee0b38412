package dev.caravan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.journal.JournalPruning;
import dev.caravan.core.journal.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caravan serve --keep-runs}: the server prunes its own journal and reports while it serves, as
 * {@code caravan prune} would, and leaves alone what later runs read.
 */
class ServeRetentionTest {
    @TempDir
    Path tmp;
    private CaravanRuntime runtime;
    private CaravanServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void aServerWithARetentionPrunesRunsBeyondItWithTheirReports() throws IOException {
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")));
        Path src = Files.createDirectories(tmp.resolve("src"));
        List<String> runIds = new ArrayList<>();
        for (int night = 1; night <= 4; night++) { // every file changes every night: each run copies all of them
            for (int i = 0; i < 3; i++) {
                Files.writeString(src.resolve("f" + i), "night " + night + " file " + i + "x".repeat(night));
            }
            RunResult r = Migration.from("local:" + src).to("local:" + tmp.resolve("dst")).name("nightly")
                    .run(runtime.engine());
            assertThat(r.outcome()).as(r.toString()).isEqualTo(RunOutcome.COMPLETE);
            runIds.add(r.runId());
        }
        Path reports = runtime.engine().settings().reportDir();
        assertThat(reportFiles(reports)).hasSize(8);

        server = runtime.serve(List.of(routeFile()), ServeOptions.of("w1").withMetrics(null, -1)
                .withRetention(new JournalPruning.Retention(1, null), Duration.ofMillis(200)));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> reportFiles(reports).size() == 2);
        String newest = runIds.get(3);
        assertThat(reportFiles(reports)).allMatch(f -> f.getFileName().toString().startsWith(newest + "."));
        assertThat(runtime.engine().journal().run(newest)).isPresent();
        for (String old : runIds.subList(0, 3)) {
            assertThat(runtime.engine().journal().run(old).map(RunSummary::runId)).as(old).isEmpty();
        }
        assertThat(server.metrics().scrape()).contains("caravan_retention_pruned_runs{worker=\"w1\"} 3.0");
    }

    /**
     * A run kept in the list as the record of its newest copies is pruned once: later passes, which find nothing more
     * to remove, neither count it again nor log it (they did, every pass, for ever).
     */
    @Test
    void aRunKeptAsTheRecordOfItsCopiesIsCountedOnce() throws IOException {
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")));
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (int night = 1; night <= 3; night++) { // f1 is copied by the first night only: its run stays its record
            Files.writeString(src.resolve("f0"), "night " + night + "x".repeat(night));
            if (night == 1) {
                Files.writeString(src.resolve("f1"), "copied once");
            }
            assertThat(Migration.from("local:" + src).to("local:" + tmp.resolve("dst")).name("nightly")
                    .run(runtime.engine()).outcome()).isEqualTo(RunOutcome.COMPLETE);
        }
        Path reports = runtime.engine().settings().reportDir();
        server = runtime.serve(List.of(routeFile()), ServeOptions.of("w1").withMetrics(null, -1)
                .withRetention(new JournalPruning.Retention(1, null), Duration.ofMillis(200)));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> reportFiles(reports).size() == 2);
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true); // several passes
        assertThat(server.metrics().scrape()).contains("caravan_retention_pruned_runs{worker=\"w1\"} 2.0");
    }

    @Test
    void withoutARetentionTheServerKeepsEveryRun() throws Exception {
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")));
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (int night = 1; night <= 3; night++) {
            Files.writeString(src.resolve("f"), "night " + night);
            assertThat(Migration.from("local:" + src).to("local:" + tmp.resolve("dst")).name("nightly")
                    .run(runtime.engine()).outcome()).isEqualTo(RunOutcome.COMPLETE);
        }
        server = runtime.serve(List.of(routeFile()), ServeOptions.of("w1").withMetrics(null, -1));
        Thread.sleep(1_000); // a retention with the shortest interval above would have pruned by now
        assertThat(reportFiles(runtime.engine().settings().reportDir())).hasSize(6);
        assertThat(server.metrics().scrape()).doesNotContain("caravan_retention_pruned_runs");
    }

    /** A route that serves without running anything by itself. */
    private Path routeFile() throws IOException {
        return Files.writeString(tmp.resolve("idle.yaml"), """
                - route:
                    id: idle
                    from:
                      uri: direct:idle
                      steps:
                        - log: idle
                """);
    }

    private static List<Path> reportFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.(json|html)")).toList();
        }
    }
}
