package dev.caravan.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared embedded journals kept open between uses in a resident process: the same database comes back, flushed at
 * each close; a journal whose file was removed meanwhile is opened anew (a removed home must not bring its runs
 * back); other URLs and a pool that is off open and close as before; unused journals close after the idle time.
 */
class JournalPoolTest {
    @TempDir
    Path dir;

    @AfterEach
    void off() {
        JdbcJournal.keepOpen(Duration.ZERO);
        JournalPool.closeIdle(); // closes every kept journal: the idle time is zero
    }

    private static int runsIn(JournalDatabase db) {
        Integer runs = db.call(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM caravan_run")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        return runs;
    }

    private String url(String name) {
        return "jdbc:h2:file:" + dir.resolve(name) + ";AUTO_SERVER=TRUE";
    }

    @Test
    void aSharedJournalComesBackOpenWithWhatWasWritten() {
        JdbcJournal.keepOpen(Duration.ofMinutes(1));
        String url = url("journal");
        RunInfo run;
        try (JdbcJournal journal = JdbcJournal.open(url)) {
            run = journal.startRun("m", "kept");
            journal.begin(run.runId(), dev.caravan.api.journal.TaskId.of("a", "b", "k")); // deferred
        }
        assertThat(JournalPool.idleCount()).isEqualTo(1);
        JournalDatabase kept = JournalPool.take(url);
        try {
            assertThat(JournalPool.idleCount()).isZero();
            assertThat(runsIn(kept)).isEqualTo(1);
        } finally {
            JournalPool.giveBack(url, kept);
        }
        JournalDatabase again = JournalPool.take(url);
        assertThat(again).as("the same open database").isSameAs(kept);
        JournalPool.giveBack(url, again);
        try (JdbcJournal journal = JdbcJournal.open(url)) {
            assertThat(journal.run(run.runId())).isPresent();
        }
    }

    @Test
    void aJournalWhoseFileWasRemovedIsOpenedAnew() throws Exception {
        JdbcJournal.keepOpen(Duration.ofMinutes(1));
        Path home = Files.createDirectories(dir.resolve("home"));
        String url = "jdbc:h2:file:" + home.resolve("journal") + ";AUTO_SERVER=TRUE";
        try (JdbcJournal journal = JdbcJournal.open(url)) {
            journal.startRun("m", "before the home was removed");
        }
        JournalDatabase first = JournalPool.take(url);
        JournalPool.giveBack(url, first);
        try (var files = Files.list(home)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        JournalDatabase fresh = JournalPool.take(url);
        try {
            assertThat(fresh).isNotSameAs(first);
            assertThat(runsIn(fresh)).as("no run of the removed journal").isZero();
        } finally {
            JournalPool.giveBack(url, fresh);
        }
    }

    @Test
    void otherUrlsAndAPoolThatIsOffAreNotKeptAndUnusedJournalsClose() throws Exception {
        JdbcJournal.keepOpen(Duration.ofMinutes(1));
        assertThat(JournalPool.keeps("jdbc:h2:file:" + dir.resolve("x"))).as("an exclusive file").isFalse();
        assertThat(JournalPool.keeps("jdbc:h2:mem:x;AUTO_SERVER=TRUE")).isFalse();
        assertThat(JournalPool.keeps("jdbc:postgresql://localhost/j")).isFalse();
        assertThat(JournalPool.keeps(url("y"))).isTrue();
        JdbcJournal.keepOpen(Duration.ZERO);
        assertThat(JournalPool.keeps(url("y"))).as("off").isFalse();
        try (JdbcJournal journal = JdbcJournal.open(url("y"))) {
            journal.startRun("m", "not kept");
        }
        assertThat(JournalPool.idleCount()).isZero();

        JdbcJournal.keepOpen(Duration.ofMillis(50));
        try (JdbcJournal journal = JdbcJournal.open(url("z"))) {
            journal.startRun("m", "kept briefly");
        }
        assertThat(JournalPool.idleCount()).isEqualTo(1);
        Thread.sleep(100);
        JournalPool.closeIdle();
        assertThat(JournalPool.idleCount()).isZero();
    }
}
