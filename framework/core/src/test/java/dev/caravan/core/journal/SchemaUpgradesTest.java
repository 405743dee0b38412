package dev.caravan.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal made by an earlier version is brought up to date when opened, its records kept. */
class SchemaUpgradesTest {
    @TempDir
    Path dir;

    @Test
    void taskIdsOfFixedLengthBecomeVariableLengthWithEveryTaskKept() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("j");
        TaskSpec spec = new TaskSpec(TaskId.of("mem:a", "mem:b", "copy:k"), "COPY", "k", 10);
        String runId;
        try (JdbcJournal journal = JdbcJournal.open(url)) {
            runId = journal.startRun("m", "d").runId();
            journal.plan(runId, List.of(spec).iterator());
            journal.complete(runId, spec.id(), new TaskReport(10, Map.of("x", "y")));
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE caravan_task ALTER COLUMN task_id SET DATA TYPE CHAR(32)"); // as it was made
            st.execute("ALTER TABLE caravan_task DROP COLUMN part"); // and before this column was added
            assertThat(SchemaUpgrades.columnType(c, "caravan_task", "task_id")).isEqualTo("CHARACTER");
        }

        try (JdbcJournal journal = JdbcJournal.open(url)) {
            assertThat(journal.task(spec.id())).get().satisfies(t -> {
                assertThat(t.state()).isEqualTo(TaskState.DONE);
                assertThat(t.report().values()).containsEntry("x", "y");
            });
            assertThat(journal.tasks(List.of(spec.id()))).containsOnlyKeys(spec.id());
        }
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(SchemaUpgrades.columnType(c, "caravan_task", "task_id")).isEqualTo("CHARACTER VARYING");
            assertThat(SchemaUpgrades.columnType(c, "caravan_task", "part")).isNotNull();
        }
    }
}
