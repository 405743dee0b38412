package dev.caravan.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journals of one process opened together on a new H2 file (two engines of a test, a worker and its planner): each
 * creates the tables unless they exist, and H2 made one of them fail with "object already exists" now and then.
 */
class SchemaRaceTest {
    private static final int ROUNDS = 30;
    private static final int OPENERS = 4;

    @TempDir
    Path dir;

    @Test
    void journalsOpenedTogetherOnANewFileAllOpen() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(OPENERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String url = "jdbc:h2:file:" + dir.resolve("j" + round);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<JdbcJournal>> opened = new ArrayList<>();
                for (int i = 0; i < OPENERS; i++) {
                    opened.add(pool.submit(() -> {
                        go.await();
                        return JdbcJournal.open(url).awaitOpen();
                    }));
                }
                go.countDown();
                List<JdbcJournal> journals = new ArrayList<>();
                try {
                    for (Future<JdbcJournal> f : opened) {
                        journals.add(f.get(60, TimeUnit.SECONDS)); // a lost race throws here
                    }
                    assertThat(journals.get(0).startRun("m", "d").runId()).isNotBlank();
                } finally {
                    for (Future<JdbcJournal> f : opened) {
                        if (f.isDone() && !f.isCancelled()) {
                            try {
                                f.get().close();
                            } catch (java.util.concurrent.ExecutionException lost) {
                                // reported by the loop above
                            }
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
