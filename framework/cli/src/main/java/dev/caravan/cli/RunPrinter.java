package dev.caravan.cli;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlanSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The summary of a finished run: outcome, what moved, verification, where the reports are. A complete run prints
 * nothing with {@code --quiet}; an incomplete one always prints its summary and one error line.
 */
final class RunPrinter {
    private static final int MAX_LINES = 10;
    private final Console console;

    RunPrinter(Console console) {
        this.console = console;
    }

    /** Prints the summary and returns the run's exit code. */
    int print(RunResult r) {
        boolean ok = r.outcome() == RunOutcome.COMPLETE;
        if (ok && console.quiet()) {
            return r.exitCode();
        }
        for (String line : lines(r)) {
            console.printLine(line);
        }
        if (r.outcome() == RunOutcome.LIMIT_REACHED) {
            console.warn("migration '" + r.name() + "' stopped at a limit of this command, unfinished: the same"
                    + " command continues it");
        } else if (!ok) {
            console.error("migration '" + r.name() + "' " + outcomeText(r.outcome()).toLowerCase(Locale.ROOT)
                    + (r.failed() > 0 ? ": " + Formats.plural(r.failed(), "task") + " failed" : "")
                    + (r.reportHtml() != null ? " (report: " + r.reportHtml() + ")" : ""));
        }
        return r.exitCode();
    }

    /** The summary lines of a run. */
    static List<String> lines(RunResult r) {
        List<String> out = new ArrayList<>();
        out.add(r.name() + ": " + outcomeText(r.outcome()) + " in " + Formats.duration(r.duration())
                + (r.resumed() ? " (resumed run)" : r.joined() ? " (joined a run another worker started)" : ""));
        PlanSummary p = r.plan();
        boolean move = r.mode() == Mode.MOVE; // a move deletes from the source, a sync from the target
        if (p != null) {
            out.add("  planned   " + Formats.count(p.copyCount()) + " new (" + Formats.bytes(p.copyBytes()) + "), "
                    + Formats.count(p.replaceCount()) + " changed (" + Formats.bytes(p.replaceBytes()) + "), "
                    + Formats.count(p.deleteCount()) + (move ? " to remove from the source, " : " to delete, ")
                    + Formats.count(p.sameCount()) + " unchanged"
                    + (p.metadataCount() > 0 ? ", " + Formats.count(p.metadataCount()) + " with metadata to update"
                    : ""));
        }
        out.add("  copied    " + Formats.plural(r.copied(), "object") + ", " + Formats.bytes(r.bytesCopied())
                + (r.bytesResumed() > 0 ? " (" + Formats.bytes(r.bytesResumed()) + " sent before an interruption, "
                + "not again)" : "") + " at "
                + Formats.rate(r.throughput()) + (move ? "; removed from the source " : "; deleted ")
                + Formats.count(r.deleted()) + ", failed " + Formats.count(r.failed()) + ", already done "
                + Formats.count(r.alreadyDone()));
        if (r.preserved() > 0) {
            out.add("  kept      " + Formats.plural(r.preserved(), "object") + " in the backup dir before "
                    + (move ? "overwriting " : "deleting or overwriting ") + (r.preserved() == 1 ? "it" : "them"));
        }
        out.add("  verified  " + verification(r.verification()));
        if (r.verification() != null) {
            for (VerificationItem item : first(r.verification().problems())) {
                out.add("    " + item.outcome() + "  " + item.item() + detail(item));
            }
            long more = r.verification().problems().size() - MAX_LINES + r.verification().droppedProblems();
            if (more > 0) {
                out.add("    ... and " + Formats.count(more) + " more (see the report)");
            }
        }
        for (String e : first(r.errors())) {
            out.add("  error     " + e);
        }
        if (r.errors().size() > MAX_LINES) {
            out.add("            ... and " + Formats.count(r.errors().size() - MAX_LINES) + " more (see the report)");
        }
        for (String w : r.warnings()) {
            out.add("  warning   " + w);
        }
        if (r.reportJson() != null || r.reportHtml() != null) {
            out.add("  report    " + (r.reportHtml() != null ? r.reportHtml() : r.reportJson()));
            if (r.reportHtml() != null && r.reportJson() != null) {
                out.add("            " + r.reportJson());
            }
        }
        out.add("  run id    " + r.runId() + "  (caravan status " + r.runId() + ")");
        return out;
    }

    /** {@code 2,000 match, 1 differ} or {@code nothing verified}. */
    static String verification(VerificationReport v) {
        if (v == null || v.total() == 0) {
            return "nothing to verify";
        }
        List<String> parts = new ArrayList<>();
        for (VerificationOutcome o : VerificationOutcome.values()) {
            long n = v.count(o);
            if (n > 0) {
                parts.add(Formats.count(n) + " " + o.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
        }
        return String.join(", ", parts);
    }

    static String outcomeText(RunOutcome o) {
        if (o == null) {
            return "UNFINISHED";
        }
        return switch (o) {
            case COMPLETE -> "complete and verified";
            case FAILED -> "FAILED";
            case VERIFICATION_FAILED -> "VERIFICATION FAILED";
            case ABORTED -> "ABORTED";
            case LIMIT_REACHED -> "STOPPED AT A LIMIT (unfinished)";
        };
    }

    static String detail(VerificationItem item) {
        return item.detail() == null || item.detail().isBlank() ? "" : "  (" + item.detail() + ")";
    }

    private static <T> List<T> first(List<T> list) {
        return list.size() <= MAX_LINES ? list : list.subList(0, MAX_LINES);
    }
}
