package dev.caravan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.core.engine.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caravan serve} counts the rows of record migrations (tables into a database) in its Prometheus metrics:
 * rows written and rejected, and the run with its outcome.
 */
class ServeRecordMetricsTest {
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
    void rowsOfARecordMigrationAreCounted() throws Exception {
        String source = "jdbc:sqlite:" + tmp.resolve("src.db").toAbsolutePath();
        String target = "jdbc:h2:" + tmp.resolve("dst").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(source); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, code TEXT NOT NULL)");
            for (int i = 1; i <= 17; i++) {
                st.execute("INSERT INTO items VALUES (" + i + ", 'item " + i + "')");
            }
        }
        Path routes = Files.writeString(tmp.resolve("routes.yaml"), """
                - route:
                    id: items
                    from:
                      uri: "timer:go?repeatCount=1&delay=-1"
                      steps:
                        - to:
                            uri: "caravan-records:migrate?source=RAW(%s)&target=RAW(%s)&name=items-copy"
                """.formatted(source, target));
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")));

        server = runtime.serve(List.of(routes), ServeOptions.of("w1").withMetrics(null, -1));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> server.metrics().scrape().contains("caravan_rows_written_total"));
        assertThat(server.metrics().scrape())
                .contains("caravan_rows_written_total{migration=\"items-copy\",worker=\"w1\"} 17.0")
                .contains("caravan_rows_rejected_total{migration=\"items-copy\",worker=\"w1\"} 0.0")
                .contains("caravan_runs_total{migration=\"items-copy\",outcome=\"complete\",worker=\"w1\"} 1.0");
    }
}
