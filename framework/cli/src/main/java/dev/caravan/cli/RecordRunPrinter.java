package dev.caravan.cli;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.runtime.RecordRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The summary of a finished {@code caravan-records:} migration, verification or conversion: outcome, rows per
 * table (read, written, rejected), the tables that kept the rows a replace or truncate destroyed (keepReplaced),
 * verification, duration and run id. Like {@link RunPrinter}, a complete one
 * prints nothing with {@code --quiet}; an incomplete one always prints its summary and one error line.
 */
final class RecordRunPrinter {
    private static final int MAX_LINES = 10;
    private final Console console;

    RecordRunPrinter(Console console) {
        this.console = console;
    }

    /** Prints the summary and returns its exit code. */
    int print(RecordRun r) {
        boolean ok = r.outcome() == RunOutcome.COMPLETE;
        if (ok && console.quiet()) {
            return r.exitCode();
        }
        lines(r).forEach(console::print);
        if (!ok) {
            console.error("record " + r.operation() + " '" + r.name() + "' "
                    + RunPrinter.outcomeText(r.outcome()).toLowerCase(Locale.ROOT)
                    + (r.errors().isEmpty() ? "" : ": " + r.errors().get(0)));
        }
        return r.exitCode();
    }

    /** The summary lines of one record run. */
    static List<String> lines(RecordRun r) {
        List<String> out = new ArrayList<>();
        String outcome = r.outcome() == RunOutcome.COMPLETE && r.verification() == null ? "complete (not verified)"
                : RunPrinter.outcomeText(r.outcome());
        out.add(r.name() + ": " + r.operation() + " " + outcome
                + (r.duration() == null ? "" : " in " + Formats.duration(r.duration())));
        out.add("  " + r.source() + " -> " + r.target());
        if (!r.items().isEmpty()) {
            boolean tables = !r.operation().equals("convert");
            TextTable t = new TextTable("  " + (tables ? "TABLE" : "FILES"), "READ", "WRITTEN", "REJECTED");
            long read = 0;
            for (RecordRun.Item i : r.items()) {
                if (i.skipped()) {
                    t.row("  " + i.name(), "-", "skipped: complete from an earlier run", "-");
                    continue;
                }
                t.row("  " + i.name(), Formats.count(i.read()), Formats.count(i.written()),
                        Formats.count(i.rejected()));
                read += i.read();
            }
            if (r.items().size() > 1) {
                t.row("  total", Formats.count(read), Formats.count(r.written()), Formats.count(r.rejected()));
            }
            t.render().lines().forEach(out::add);
        }
        for (RecordRun.Item i : r.items()) {
            if (i.kept() != null) {
                out.add("  kept      " + i.name() + ": " + Formats.count(i.keptRows()) + " rows in " + i.kept()
                        + " (before it was dropped or emptied)");
            }
        }
        if (r.verification() != null) {
            out.add("  verified  " + RunPrinter.verification(r.verification()));
            List<VerificationItem> problems = r.verification().problems();
            for (VerificationItem item : problems.subList(0, Math.min(MAX_LINES, problems.size()))) {
                out.add("    " + item.outcome() + "  " + item.item() + RunPrinter.detail(item));
            }
            long more = problems.size() - MAX_LINES + r.verification().droppedProblems();
            if (more > 0) {
                out.add("    ... and " + Formats.count(more) + " more");
            }
        }
        for (String e : r.errors().subList(0, Math.min(MAX_LINES, r.errors().size()))) {
            out.add("  " + (r.operation().equals("convert") ? "rejected  " : "error     ") + e);
        }
        if (r.runId() != null) {
            out.add("  run id    " + r.runId() + "  (caravan status " + r.runId() + ")");
        }
        return out;
    }
}
