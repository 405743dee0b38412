package dev.caravan.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlanSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON and HTML reports are written in one pass over the journal and list the same items. */
class ReportWriterTest {
    @TempDir
    Path dir;

    private static TaskSpec task(String key) {
        return new TaskSpec(TaskId.of("mem:a", "mem:b", "copy:" + key), "COPY", key, 3);
    }

    @Test
    void bothReportsListTheFailedAndTheDoneItems() throws Exception {
        try (JdbcJournal journal = JdbcJournal.open("jdbc:h2:mem:report")) {
            RunInfo run = journal.startRun("m", "d");
            List<TaskSpec> tasks = IntStream.range(0, 1200).mapToObj(i -> task(String.format("k%04d", i))).toList();
            journal.plan(run.runId(), tasks.iterator());
            for (TaskSpec t : tasks.subList(0, 1199)) {
                journal.begin(run.runId(), t.id());
                journal.complete(run.runId(), t.id(), new TaskReport(3, Map.of("hash.sha256", "ab" + t.item())));
            }
            TaskSpec broken = tasks.get(1199);
            journal.begin(run.runId(), broken.id());
            journal.fail(run.runId(), broken.id(), "USER_DATA", "bad <name> & co");
            RunResult result = new RunResult(run.runId(), "m", "demo <run>", RunOutcome.FAILED, false, false, Mode.COPY,
                    new PlanSummary(1200, 3600, 0, 0, 0, 0, 0, 0, 1200, 0), 1199, 3597, 0, 0, 0, 1, 0,
                    new VerificationReport(10), Instant.EPOCH, Duration.ofSeconds(2), List.of("one error"),
                    List.of("1 object of mem:a is archived"), null, null);

            Path json = new ReportWriter(journal).write(dir, result, Map.of("source", "mem:a"));

            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertThat(report.get("outcome").asText()).isEqualTo("FAILED");
            assertThat(report.get("failedItems")).hasSize(1);
            assertThat(report.get("failedItems").get(0).get("error").asText()).isEqualTo("bad <name> & co");
            assertThat(report.get("items")).hasSize(1199);
            // items come in the journal's order (task ids); every done one is there once, with its digest
            java.util.Map<String, String> digests = new java.util.HashMap<>();
            report.get("items").forEach(i -> digests.put(i.get("key").asText(), i.get("sha256").asText()));
            assertThat(digests).hasSize(1199).containsEntry("k0000", "abk0000").containsEntry("k1198", "abk1198")
                    .doesNotContainKey("k1199");
            assertThat(report.get("itemsTruncated").asBoolean()).isFalse();
            assertThat(report.get("warnings")).singleElement().extracting(JsonNode::asText)
                    .isEqualTo("1 object of mem:a is archived");

            String html = Files.readString(dir.resolve(run.runId() + ".html"), StandardCharsets.UTF_8);
            assertThat(html).startsWith("<!doctype html>").endsWith("</body></html>\n");
            assertThat(html).contains("<h1>demo &lt;run&gt;</h1>", "bad &lt;name&gt; &amp; co", "abk1198",
                    "<h2>Warnings</h2><ul><li>1 object of mem:a is archived</li></ul>", "1199 objects, ");
            assertThat(html.split("<tr><td>COPY</td>", -1)).as("item rows").hasSize(1200 + 1);
            assertThat(html.indexOf("<h2>Failed</h2>")).isLessThan(html.indexOf("<h2>Done in this run</h2>"));
        }
    }
}
