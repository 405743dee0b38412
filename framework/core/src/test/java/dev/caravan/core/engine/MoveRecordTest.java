package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
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
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A move deletes a source object only once the journal holds, on disk, that its copy is done: a process killed right
 * after the deletion (when the source can no longer be looked at) must not leave an object moved that no run records.
 */
class MoveRecordTest extends EngineTestBase {

    private MigrationSpec.Builder move() {
        return MigrationSpec.builder("mem:src", "mem:dst").mode(Mode.MOVE).retryBaseDelay(Duration.ofMillis(1));
    }

    /** The state of the task of {@code key} as another connection sees the journal: only what was written. */
    private String writtenState(String key) {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("journal"));
                PreparedStatement ps = c.prepareStatement("SELECT state FROM caravan_task WHERE item = ?"
                        + " AND action IN ('COPY', 'REPLACE')")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "no row";
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theCopyIsRecordedDoneBeforeItsSourceIsDeleted() {
        for (int i = 0; i < 20; i++) {
            src.add("f" + i, bytes("content " + i), T0);
        }
        dst.add("f3", bytes("older"), T0.minusSeconds(60)); // replaced, then its source deleted
        Map<String, String> stateAtDeletion = new ConcurrentHashMap<>();
        src.beforeDelete = key -> stateAtDeletion.put(key, writtenState(key));

        RunResult r = engine.run(move().build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(src.objects()).isEmpty();
        assertThat(stateAtDeletion).hasSize(20).allSatisfy((key, state) -> assertThat(state).as(key).isEqualTo("DONE"));
    }

    /** Killed between the recorded copy and the deletion: the resumed run deletes the source; the copy is not made again. */
    @Test
    void aMoveKilledAfterTheRecordDeletesTheSourceWhenResumed() {
        src.add("a", bytes("A"), T0);
        Map<String, String> stateAtDeath = new ConcurrentHashMap<>();
        src.beforeDelete = key -> {
            stateAtDeath.put(key, writtenState(key));
            throw new MigrationException(ErrorKind.FATAL, "the process died before deleting " + key);
        };

        assertThatThrownBy(() -> engine.run(move().build(), ProgressListener.NONE))
                .hasMessageContaining("the process died before deleting a");
        assertThat(stateAtDeath).containsExactly(Map.entry("a", "DONE"));
        src.beforeDelete = key -> { };
        int puts = dst.puts.get();

        RunResult resumed = engine.run(move().build(), ProgressListener.NONE);

        assertThat(resumed.outcome()).as(resumed.toString()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(src.objects()).isEmpty();
        assertThat(dst.bytes("a")).isEqualTo(bytes("A"));
        assertThat(dst.puts.get()).as("not copied again").isEqualTo(puts);
        assertThat(resumed.deleted()).isEqualTo(1);
    }

    /** A deletion that keeps failing fails the task, saying the copy is in place; the source is kept. */
    @Test
    void aSourceThatCannotBeDeletedFailsTheTaskAndKeepsTheCopy() {
        src.add("a", bytes("A"), T0);
        src.add("b", bytes("B"), T0);
        src.beforeDelete = key -> {
            if (key.equals("b")) {
                throw new MigrationException(ErrorKind.USER_CONFIG, "no right to delete " + key);
            }
        };

        RunResult r = engine.run(move().build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.deleted()).isEqualTo(1);
        assertThat(src.objects()).containsOnlyKeys("b");
        assertThat(dst.bytes("b")).isEqualTo(bytes("B"));
        assertThat(r.errors()).singleElement().asString().contains("b", "copied and verified",
                "the source was not deleted", "no right to delete b");
        assertThat(writtenState("b")).isEqualTo("FAILED");
    }
}
