package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A sync killed during its deletions: the objects deleted in the last fraction of a second before the kill have no
 * record yet (the journal writes completions behind). When the run goes on, its report still lists every object the
 * run deleted, and an object that is there again under such a key is not deleted.
 */
class StaleDeletionsTest extends EngineTestBase {

    private MigrationSpec sync() {
        return MigrationSpec.builder("mem:src", "mem:dst").mode(Mode.SYNC).maxDelete("100%")
                .retryBaseDelay(Duration.ofMillis(1)).build();
    }

    @Test
    void deletionsDoneButNotRecordedBeforeAKillAreRecordedWhenTheRunGoesOn() throws Exception {
        for (int i = 0; i < 5; i++) {
            src.add("keep" + i, bytes("content " + i), T0);
            dst.add("keep" + i, bytes("content " + i), T0);
        }
        for (int i = 0; i < 10; i++) {
            dst.add("extra" + i, bytes("extra " + i), T0);
        }
        RunResult first = engine.run(sync(), ProgressListener.NONE);
        assertThat(first.deleted()).isEqualTo(10);
        engine.awaitJournal();
        Thread.sleep(500); // the deferred writes reach the database
        // as if killed right after the deletions, before their records were written: the run unfinished, its
        // deletions still open; meanwhile extra3 came back, on both sides (the new plan finds nothing to do about it)
        sql("UPDATE caravan_task SET state = 'PENDING', report = NULL, completed_by = NULL WHERE action = 'DELETE'");
        sql("UPDATE caravan_run SET finished_at = NULL, outcome = NULL");
        src.add("extra3", bytes("extra 3, new"), T0.plusSeconds(60));
        dst.add("extra3", bytes("extra 3, new"), T0.plusSeconds(60));

        RunResult resumed = engine.run(sync(), ProgressListener.NONE);

        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.runId()).isEqualTo(first.runId());
        assertThat(resumed.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(resumed.deleted()).as("nothing left to delete").isZero();
        assertThat(resumed.alreadyDone()).as("the deletions of the run, found done").isEqualTo(9);
        Map<String, String> deletions = deletionStates();
        assertThat(deletions).hasSize(10);
        deletions.forEach((key, state) -> assertThat(state).as(key).isEqualTo(key.equals("extra3")
                ? "SKIPPED not deleted: extra3 is in mem:dst again, and the plan made when the run went on decided"
                        + " about it"
                : "DONE"));
        assertThat(dst.objects()).containsKey("extra3").hasSize(6);
    }

    private Map<String, String> deletionStates() throws SQLException {
        engine.awaitJournal();
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement("SELECT item, state, error FROM caravan_task"
                        + " WHERE action = 'DELETE'");
                ResultSet rs = ps.executeQuery()) {
            Map<String, String> out = new TreeMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2) + (rs.getString(3) == null ? "" : " " + rs.getString(3)));
            }
            return out;
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.executeUpdate();
        }
    }

    private Connection connection() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + home.resolve("journal"));
    }
}
