package dev.caravan.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warnings of a run kept in the journal, as two workers (two journals on one database) note them. */
class RunWarningsTest {
    @TempDir
    Path dir;

    /** The journal's URL: an embedded H2 file here, a PostgreSQL database in {@link RunWarningsPostgresIT}. */
    String url() {
        return "jdbc:h2:file:" + dir.resolve("j");
    }

    @Test
    void eachWarningOfEveryWorkerIsKeptOnceInTheOrderFirstNotedAndOfAnyLength() {
        String long1 = "a warning of 5,000 characters " + "x".repeat(5_000);
        try (JdbcJournal w1 = JdbcJournal.open(url()); JdbcJournal w2 = JdbcJournal.open(url())) {
            String run = w1.startRun("m", "d").runId();
            String other = w1.startRun("m2", "d").runId();
            w1.runWarnings().note(run, "w1", List.of("plan: " + long1, "upload u1 left"));
            w2.runWarnings().note(run, "w2", List.of("upload u1 left", "upload u2 left", "upload u2 left"));
            w1.runWarnings().note(run, "w1", List.of("plan: " + long1)); // noted again at the next partition
            w2.runWarnings().note(other, "w2", List.of("of another run"));

            assertThat(w2.warnings(run)).containsExactly("plan: " + long1, "upload u1 left", "upload u2 left");
            assertThat(w1.warnings(other)).containsExactly("of another run");
            assertThat(w1.warnings("no-such-run")).isEmpty();
        }
    }

    @Test
    void beyondTheWarningsKeptOfARunTheOthersAreCountedOnce() {
        List<String> many = IntStream.range(0, RunWarnings.KEPT + 5).mapToObj(i -> "warning " + i).toList();
        try (JdbcJournal w1 = JdbcJournal.open(url()); JdbcJournal w2 = JdbcJournal.open(url())) {
            String run = w1.startRun("m", "d").runId();
            w1.runWarnings().note(run, "w1", many.subList(0, 60));
            w2.runWarnings().note(run, "w2", many);
            w1.runWarnings().note(run, "w1", many.subList(RunWarnings.KEPT, RunWarnings.KEPT + 5));

            List<String> kept = w1.warnings(run);

            assertThat(kept).hasSize(RunWarnings.KEPT + 1);
            assertThat(kept.subList(0, RunWarnings.KEPT)).isEqualTo(many.subList(0, RunWarnings.KEPT));
            assertThat(kept.get(RunWarnings.KEPT))
                    .isEqualTo("... and 5 more warnings (the journal keeps the first 100 of a run)");
        }
    }
}
