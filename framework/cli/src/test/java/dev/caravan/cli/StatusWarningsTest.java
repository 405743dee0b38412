package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.journal.JdbcJournal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan status RUN_ID} shows the warnings the journal keeps of the run, every worker's. */
class StatusWarningsTest {
    @TempDir
    Path home;

    @Test
    void theDetailsOfARunListTheWarningsOfEveryWorker() {
        String runId;
        try (JdbcJournal journal = JdbcJournal.open(EngineSettings.defaults().withHome(home).journalUrl())) {
            runId = journal.startRun("m", "a -> b").runId();
            journal.runWarnings().note(runId, "w1", List.of("1 object of mem:a is archived"));
            journal.runWarnings().note(runId, "w2", List.of("big.bin: could not abort the unfinished upload u1"));
        }

        CliRunner.Result status = CliRunner.inHome(home, "status", runId);

        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).contains("warning    1 object of mem:a is archived\n"
                + "warning    big.bin: could not abort the unfinished upload u1\n");
    }
}
