package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunInfo;
import dev.caravan.core.journal.JdbcJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Workers of a group starting together on a new PostgreSQL database all create the journal's tables at once: every
 * one of them opens the journal (the losers of the race on the catalog try again), none fails for good (a serve
 * worker failed every fire with 'type "caravan_run" already exists').
 */
class JournalSchemaRaceIT {
    private static final int WORKERS = 8;

    /** A journal of an earlier version (task ids CHAR(32)) keeps its tasks when its ids become VARCHAR(32). */
    @Test
    void anOlderJournalsTaskIdsAreConvertedWithTheTasksKept() throws Exception {
        try (PgDatabase db = PgDatabase.create("caravan_upgrade")) {
            dev.caravan.api.journal.TaskSpec spec = new dev.caravan.api.journal.TaskSpec(
                    dev.caravan.api.journal.TaskId.of("mem:a", "mem:b", "copy:k"), "COPY", "k", 10);
            try (JdbcJournal journal = JdbcJournal.open(db.url())) {
                String runId = journal.startRun("m", "d").runId();
                journal.plan(runId, List.of(spec).iterator());
            }
            try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
                st.execute("ALTER TABLE caravan_task ALTER COLUMN task_id TYPE CHAR(32)");
            }
            try (JdbcJournal journal = JdbcJournal.open(db.url())) {
                assertThat(journal.tasks(List.of(spec.id()))).containsOnlyKeys(spec.id());
            }
            try (java.sql.Connection c = db.connect(); java.sql.ResultSet rs = c.getMetaData().getColumns(null, null,
                    "caravan_task", "task_id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("TYPE_NAME")).isEqualTo("varchar");
            }
        }
    }

    @Test
    void workersOpeningANewJournalAtOnceAllGetIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            for (int round = 0; round < 4; round++) {
                try (PgDatabase db = PgDatabase.create("caravan_race")) {
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<String>> opened = new ArrayList<>();
                    for (int w = 0; w < WORKERS; w++) {
                        int worker = w;
                        opened.add(pool.submit(() -> {
                            start.await();
                            try (JdbcJournal journal = JdbcJournal.open(db.url())) {
                                RunInfo run = journal.startRun("m" + worker, "worker " + worker);
                                return run.runId();
                            }
                        }));
                    }
                    start.countDown();
                    for (Future<String> f : opened) {
                        assertThat(f.get(60, TimeUnit.SECONDS)).as("round " + round).isNotBlank();
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
