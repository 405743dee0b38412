package dev.caravan.cli;

import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.plan.PlannedAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints a dry run: counts and bytes per action, the first actions, preflight checks, forecast and refusal. */
final class PlanPrinter {
    /** Sample lines shown at most. */
    static final int SAMPLE_LINES = 20;
    private final Console console;

    PlanPrinter(Console console) {
        this.console = console;
    }

    /** 0 when the run would be allowed, 2 when it would be refused (a guard or a failed preflight check). */
    static int exitCode(PlanResult plan) {
        return plan.runnable() ? Main.OK : Main.BAD_INPUT;
    }

    void print(PlanResult plan) {
        for (String line : lines(plan)) {
            console.printLine(line);
        }
        if (!plan.runnable()) {
            console.error("migration '" + plan.spec().name() + "' would be refused: " + reason(plan));
        }
    }

    static List<String> lines(PlanResult plan) {
        List<String> out = new ArrayList<>();
        var spec = plan.spec();
        String route = spec.source() + " -> " + spec.target();
        out.add("plan " + (spec.name().equals(route) ? "" : spec.name() + ": ") + route + " ("
                + spec.mode().name().toLowerCase(Locale.ROOT) + ")");
        PlanSummary s = plan.summary();
        String deleteLabel = spec.mode() == Mode.MOVE ? "remove from source" : "delete";
        out.add(row("copy", s.copyCount(), s.copyBytes()));
        out.add(row("replace", s.replaceCount(), s.replaceBytes()));
        out.add(row("metadata", s.metadataCount(), 0)); // attributes updated, bytes not sent where the target can
        out.add(row(deleteLabel, s.deleteCount(), s.deleteBytes()));
        out.add(row("unchanged", s.sameCount(), s.sameBytes()));
        out.add("  listed " + Formats.count(s.sourceCount()) + " on source, " + Formats.count(s.targetCount())
                + " on target (after filters); to transfer: " + Formats.bytes(s.transferBytes()));
        if (!plan.sample().isEmpty()) {
            out.add("  first actions:");
            TextTable t = new TextTable("    ACTION", "KEY", "SIZE", "WHY");
            List<PlannedAction> sample = plan.sample();
            for (PlannedAction a : sample.subList(0, Math.min(SAMPLE_LINES, sample.size()))) {
                t.row("    " + a.action(), a.key(), Formats.bytes(a.size()), a.reason());
            }
            t.render().lines().skip(1).forEach(out::add);
        }
        if (!plan.preflight().isEmpty()) {
            out.add("  preflight:");
            for (PreflightCheck c : plan.preflight()) {
                out.add("    " + String.format(Locale.ROOT, "%-4s", c.status()) + "  " + c.name()
                        + (c.detail() == null || c.detail().isBlank() ? "" : ": " + c.detail()));
            }
        }
        if (plan.forecast() != null) {
            out.add("  forecast  about " + Formats.duration(plan.forecast()));
        }
        if (plan.refusal() != null) {
            out.add("  REFUSED   " + plan.refusal());
        }
        out.add("  nothing was written to the target");
        return out;
    }

    static String reason(PlanResult plan) {
        if (plan.refusal() != null) {
            return plan.refusal();
        }
        return plan.preflight().stream().filter(c -> c.status() == PreflightCheck.Status.FAIL)
                .map(c -> c.name() + ": " + c.detail()).reduce((a, b) -> a + "; " + b).orElse("unknown");
    }

    private static String row(String label, long count, long bytes) {
        return String.format(Locale.ROOT, "  %-18s %12s  %10s", label, Formats.plural(count, "object"),
                Formats.bytes(bytes));
    }
}
