package dev.caravan.core.report;

import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.metadata.MetadataNote;
import dev.caravan.core.plan.CopyFacts;
import dev.caravan.core.plan.Mode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/** The human-readable report: one self-contained HTML page. */
final class HtmlReport {
    private static final int MAX_ROWS = 10_000;

    private HtmlReport() {
    }

    /** The page up to its item lists: summary, settings, verification problems, errors. */
    static void head(BufferedWriter w, RunResult r, Map<String, String> settings) throws IOException {
        w.write("<!doctype html><html><head><meta charset=\"utf-8\"><title>Caravan run " + esc(r.runId())
                + "</title><style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
                + "margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
                + ".COMPLETE{color:#070}.FAILED,.VERIFICATION_FAILED,.ABORTED{color:#b00}.LIMIT_REACHED{color:#a60}</style></head><body>");
        w.write("<h1>" + esc(r.name()) + "</h1>");
        w.write("<p>Run <code>" + esc(r.runId()) + "</code> &mdash; <strong class=\"" + r.outcome() + "\">"
                + r.outcome() + "</strong>" + (r.resumed() ? " (resumed)" : "")
                + (r.joined() ? " (joined a run another worker started)" : "") + "</p>");
        w.write("<table>");
        row(w, "Started", r.startedAt().toString());
        row(w, "Duration", String.format(Locale.ROOT, "%.1f s", r.duration().toMillis() / 1000.0));
        row(w, "Copied", r.copied() + (r.copied() == 1 ? " object, " : " objects, ") + ByteSizes.human(r.bytesCopied()) + (r.bytesResumed() > 0 ? " ("
                + ByteSizes.human(r.bytesResumed()) + " sent before an interruption, not again)" : ""));
        row(w, "Throughput", ByteSizes.human((long) r.throughput()) + "/s");
        boolean move = r.mode() == Mode.MOVE;
        row(w, move ? "Removed from the source" : "Deleted", Long.toString(r.deleted()));
        if (r.preserved() > 0) {
            row(w, "Kept in the backup dir", Long.toString(r.preserved()));
        }
        row(w, "Failed", Long.toString(r.failed()));
        row(w, "Planned", r.plan().copyCount() + " new, " + r.plan().replaceCount() + " changed, "
                + r.plan().metadataCount() + " with metadata to update, " + r.plan().sameCount() + " already there, " + r.plan().deleteCount()
                + (move ? " to remove from the source" : " to delete"));
        for (VerificationOutcome o : VerificationOutcome.values()) {
            row(w, "Verified " + o.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    Long.toString(r.verification().count(o)));
        }
        w.write("</table><h2>Settings</h2><table>");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            row(w, e.getKey(), e.getValue());
        }
        w.write("</table>");
        if (!r.verification().problems().isEmpty()) {
            w.write("<h2>Verification problems</h2><table><tr><th>item</th><th>outcome</th><th>method</th>"
                    + "<th>detail</th></tr>");
            for (VerificationItem i : r.verification().problems()) {
                w.write("<tr><td>" + esc(i.item()) + "</td><td>" + i.outcome() + "</td><td>" + esc(i.method())
                        + "</td><td>" + esc(i.detail()) + "</td></tr>");
            }
            w.write("</table>");
        }
        if (!r.warnings().isEmpty()) {
            w.write("<h2>Warnings</h2><ul>");
            for (String warning : r.warnings()) {
                w.write("<li>" + esc(warning) + "</li>");
            }
            w.write("</ul>");
        }
        if (!r.errors().isEmpty()) {
            w.write("<h2>Errors</h2><ul>");
            for (String e : r.errors()) {
                w.write("<li>" + esc(e) + "</li>");
            }
            w.write("</ul>");
        }
    }

    /** Closes the page. */
    static void end(BufferedWriter w) throws IOException {
        w.write("</body></html>\n");
    }

    /** Starts a list of items under a title. */
    static void startItems(BufferedWriter w, String title) throws IOException {
        w.write("<h2>" + esc(title) + "</h2><table><tr><th>action</th><th>key</th><th>size</th><th>attempts</th>"
                + "<th>sha256 / error</th></tr>");
    }

    /**
     * The {@code index}-th item of the current list (0-based); rows past {@value #MAX_ROWS} are left out.
     * {@code targetKey}: where a key map wrote the object, or {@code null} under its own key.
     */
    static void item(BufferedWriter w, int index, TaskRecord t, String targetKey) throws IOException {
        if (index > MAX_ROWS) {
            return;
        }
        if (index == MAX_ROWS) {
            w.write("<tr><td colspan=\"5\">&hellip; more in the JSON report</td></tr>");
            return;
        }
        String detail = t.error() != null ? t.error()
                : t.report() == null ? "" : t.report().values().getOrDefault(CopyFacts.SHA256, "");
        w.write("<tr><td>" + esc(t.spec().action()) + "</td><td>" + esc(t.spec().item())
                + (targetKey == null ? "" : " &rarr; " + esc(targetKey)) + "</td><td>"
                + t.spec().size() + "</td><td>" + t.attempts() + "</td><td><code>" + esc(detail)
                + "</code></td></tr>");
    }

    /** Starts the list of attributes not carried over as they were. */
    static void startMetadata(BufferedWriter w) throws IOException {
        w.write("<h2>Attributes not carried over as they were</h2><table><tr><th>key</th><th>attribute</th>"
                + "<th>action</th><th>detail</th></tr>");
    }

    /** The {@code index}-th attribute note (0-based); rows past {@value #MAX_ROWS} are left out. */
    static void metadataItem(BufferedWriter w, long index, String key, MetadataNote n) throws IOException {
        if (index > MAX_ROWS) {
            return;
        }
        if (index == MAX_ROWS) {
            w.write("<tr><td colspan=\"4\">&hellip; more in the JSON report</td></tr>");
            return;
        }
        w.write("<tr><td>" + esc(key) + "</td><td>" + esc(n.attribute()) + "</td><td>" + n.action() + "</td><td>"
                + esc(n.detail()) + "</td></tr>");
    }

    /** Ends a list of items. */
    static void endItems(BufferedWriter w) throws IOException {
        w.write("</table>");
    }

    private static void row(BufferedWriter w, String k, String v) throws IOException {
        w.write("<tr><th>" + esc(k) + "</th><td>" + esc(v) + "</td></tr>");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
