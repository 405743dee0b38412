package dev.caravan.core.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.journal.JournalQueries;
import dev.caravan.core.metadata.MetadataNote;
import dev.caravan.core.plan.CopyFacts;
import dev.caravan.core.plan.KeyMap;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.plan.PlannedTask;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes a run's report as JSON (for machines) and HTML (for people): what moved, what was skipped, what failed,
 * verification results, duration and throughput, and the descriptive attributes (content type, headers, user
 * metadata, tags) that did not reach the target as they were, object by object. Items are streamed from the journal, so memory stays bounded.
 */
public final class ReportWriter {
    /** Most items listed per report; counts always cover everything. */
    public static final int MAX_ITEMS = 100_000;
    private static final JsonFactory JSON = new JsonFactory();

    private final JournalQueries journal;
    private final KeyMap keyMap;

    public ReportWriter(JournalQueries journal) {
        this(journal, KeyMap.NONE);
    }

    /** A writer whose items name the target key of each copy the key map wrote elsewhere ({@code targetKey}). */
    public ReportWriter(JournalQueries journal, KeyMap keyMap) {
        this.journal = journal;
        this.keyMap = keyMap;
    }

    /** Writes {@code <dir>/<runId>.json} and {@code .html}; returns the JSON path (the HTML sits beside it). */
    public Path write(Path dir, RunResult r, Map<String, String> settings) {
        try {
            Files.createDirectories(dir);
            Path json = dir.resolve(r.runId() + ".json");
            // one pass over the journal's items feeds both reports
            try (JsonGenerator g = JSON.createGenerator(json.toFile(), JsonEncoding.UTF8);
                    BufferedWriter html = Files.newBufferedWriter(dir.resolve(r.runId() + ".html"),
                            StandardCharsets.UTF_8)) {
                g.useDefaultPrettyPrinter();
                writeJsonHead(g, r, settings);
                HtmlReport.head(html, r, settings);
                writeItems(g, html, "failedItems", "Failed", journal.tasks(r.runId(), EnumSet.of(TaskState.FAILED)),
                        t -> { });
                // the items done and their metadata notes in one pass over the journal
                List<Map.Entry<String, MetadataNote>> notes = new ArrayList<>();
                long[] counts = new long[2]; // objects with notes, notes
                writeItems(g, html, "items", "Done in this run", journal.completedBy(r.runId()),
                        t -> collectNotes(t, notes, counts));
                writeMetadata(g, html, notes, counts[0], counts[1]);
                g.writeEndObject();
                HtmlReport.end(html);
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Everything of the JSON report before its item lists; the top-level object stays open. */
    private static void writeJsonHead(JsonGenerator g, RunResult r, Map<String, String> settings) throws IOException {
        g.writeStartObject();
        g.writeStringField("runId", r.runId());
        g.writeStringField("migrationId", r.migrationId());
        g.writeStringField("name", r.name());
        g.writeStringField("outcome", r.outcome().name());
        g.writeStringField("mode", r.mode().name()); // COPY, SYNC or MOVE: done.deleted is of the source in MOVE
        g.writeNumberField("exitCode", r.exitCode());
        g.writeBooleanField("resumed", r.resumed());
        g.writeBooleanField("joined", r.joined()); // a shared run another worker started: not resumed
        g.writeStringField("startedAt", r.startedAt().toString());
        g.writeNumberField("durationMillis", r.duration().toMillis());
        g.writeNumberField("throughputBytesPerSecond", Math.round(r.throughput()));
        g.writeObjectFieldStart("settings");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        writePlan(g, r.plan());
        g.writeObjectFieldStart("done");
        g.writeNumberField("copied", r.copied());
        g.writeNumberField("bytesCopied", r.bytesCopied());
        g.writeNumberField("bytesResumed", r.bytesResumed()); // sent by an interrupted run, not again by this one
        g.writeNumberField("deleted", r.deleted());
        g.writeNumberField("preserved", r.preserved()); // kept in the backup dir before deleted or overwritten
        g.writeNumberField("failed", r.failed());
        g.writeEndObject();
        g.writeObjectFieldStart("verification");
        for (VerificationOutcome o : VerificationOutcome.values()) {
            g.writeNumberField(o.name(), r.verification().count(o));
        }
        g.writeArrayFieldStart("problems");
        for (VerificationItem item : r.verification().problems()) {
            g.writeStartObject();
            g.writeStringField("item", item.item());
            g.writeStringField("outcome", item.outcome().name());
            g.writeStringField("method", item.method());
            g.writeStringField("detail", item.detail());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeArrayFieldStart("errors");
        for (String e : r.errors()) {
            g.writeString(e);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("warnings");
        for (String w : r.warnings()) {
            g.writeString(w);
        }
        g.writeEndArray();
    }

    private static void writePlan(JsonGenerator g, PlanSummary p) throws IOException {
        g.writeObjectFieldStart("plan");
        g.writeNumberField("copy", p.copyCount());
        g.writeNumberField("copyBytes", p.copyBytes());
        g.writeNumberField("replace", p.replaceCount());
        g.writeNumberField("replaceBytes", p.replaceBytes());
        g.writeNumberField("metadata", p.metadataCount()); // same bytes, attributes updated
        g.writeNumberField("metadataBytes", p.metadataBytes());
        g.writeNumberField("delete", p.deleteCount());
        g.writeNumberField("deleteBytes", p.deleteBytes());
        g.writeNumberField("same", p.sameCount());
        g.writeNumberField("sameBytes", p.sameBytes());
        g.writeNumberField("sourceObjects", p.sourceCount());
        g.writeNumberField("targetObjects", p.targetCount());
        g.writeEndObject();
    }

    /**
     * The descriptive attributes of copied objects that did not reach the target as they were (mapped or dropped by
     * a declared rule, or not kept by the target), one entry per object and attribute, from the tasks' reports.
     */
    private static void writeMetadata(JsonGenerator g, BufferedWriter html, List<Map.Entry<String, MetadataNote>> notes,
            long objects, long total) throws IOException {
        g.writeObjectFieldStart("metadata");
        g.writeArrayFieldStart("items");
        long n = 0;
        for (Map.Entry<String, MetadataNote> e : notes) {
            if (n == 0) {
                HtmlReport.startMetadata(html);
            }
            HtmlReport.metadataItem(html, n++, e.getKey(), e.getValue());
            g.writeStartObject();
            g.writeStringField("key", e.getKey());
            g.writeStringField("attribute", e.getValue().attribute());
            g.writeStringField("action", e.getValue().action().name());
            g.writeStringField("detail", e.getValue().detail());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeBooleanField("itemsTruncated", total > notes.size());
        g.writeNumberField("objects", objects);
        g.writeNumberField("attributes", notes.size());
        g.writeEndObject();
        if (n > 0) {
            HtmlReport.endItems(html);
        }
    }

    /** Keeps a task's metadata notes (up to {@link #MAX_ITEMS} in all) and counts them. */
    private static void collectNotes(TaskRecord t, List<Map.Entry<String, MetadataNote>> notes, long[] counts) {
        String text = t.report() == null ? null : t.report().values().get(MetadataNote.REPORT_KEY);
        if (text == null) {
            return;
        }
        counts[0]++;
        for (MetadataNote n : MetadataNote.decode(text)) {
            counts[1]++;
            if (notes.size() < MAX_ITEMS) {
                notes.add(Map.entry(t.spec().item(), n));
            }
        }
    }

    /** One list of items into both reports (the HTML one shows fewer rows, see {@link HtmlReport}). */
    private void writeItems(JsonGenerator g, BufferedWriter html, String field, String title,
            Stream<TaskRecord> tasks, Consumer<TaskRecord> everyTask) throws IOException {
        g.writeArrayFieldStart(field);
        HtmlReport.startItems(html, title);
        int n = 0;
        boolean truncated = false;
        try (tasks) {
            Iterator<TaskRecord> it = tasks.iterator();
            while (it.hasNext()) {
                TaskRecord t = it.next();
                everyTask.accept(t);
                if (n >= MAX_ITEMS) {
                    truncated = true;
                    continue;
                }
                String key = t.spec().item();
                String targetKey = PlannedTask.transfers(t.spec().action())
                        || PlannedTask.METADATA.equals(t.spec().action()) ? keyMap.target(key) : key;
                HtmlReport.item(html, n++, t, targetKey.equals(key) ? null : targetKey);
                g.writeStartObject();
                g.writeStringField("action", t.spec().action());
                g.writeStringField("key", key);
                if (!targetKey.equals(key)) {
                    g.writeStringField("targetKey", targetKey);
                }
                g.writeNumberField("size", t.spec().size());
                g.writeStringField("state", t.state().name());
                g.writeNumberField("attempts", t.attempts());
                if (t.report() != null && t.report().values().containsKey(CopyFacts.SHA256)) {
                    g.writeStringField("sha256", t.report().values().get(CopyFacts.SHA256));
                }
                String sent = t.report() == null ? null : t.report().values().get(CopyFacts.BYTES_SENT);
                if (sent != null) {
                    g.writeNumberField("bytesSent", Long.parseLong(sent));
                }
                if (t.error() != null) {
                    g.writeStringField("error", t.error());
                }
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeBooleanField(field + "Truncated", truncated);
        HtmlReport.endItems(html);
    }
}
