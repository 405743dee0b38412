package dev.caravan.cli;

import dev.caravan.runtime.VmRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The VM moves of a run as one table (kind, domain, source -> target, status, wall time, downtime, pre-copy
 * iterations, bytes), then one line per refused or failed move with the reason, and per move completed with a note
 * (e.g. it took over the migration of a killed run). With {@code --quiet} nothing is printed when every move completed.
 */
final class VmRunPrinter {
    private final Console console;

    VmRunPrinter(Console console) {
        this.console = console;
    }

    void print(List<VmRun> moves) {
        if (moves.isEmpty() || console.quiet() && moves.stream().allMatch(v -> v.status() == VmRun.Status.COMPLETE)) {
            return;
        }
        lines(moves).forEach(console::print);
    }

    static List<String> lines(List<VmRun> moves) {
        List<String> out = new ArrayList<>();
        out.add("VM moves: " + moves.stream().filter(v -> v.status() == VmRun.Status.COMPLETE).count() + " of "
                + moves.size() + " complete");
        TextTable t = new TextTable("  KIND", "DOMAIN", "SOURCE -> TARGET", "STATUS", "WALL", "DOWNTIME",
                "ITERATIONS", "BYTES");
        for (VmRun v : moves) {
            boolean done = v.status() == VmRun.Status.COMPLETE;
            t.row("  " + v.kind().name().toLowerCase(Locale.ROOT), v.domain(), v.source() + " -> " + v.target(),
                    v.status().name(), time(v.wall()), time(v.downtime()),
                    done ? Formats.count(v.iterations()) : null, done ? Formats.bytes(v.bytes()) : null);
        }
        t.render().lines().forEach(out::add);
        for (VmRun v : moves) {
            if (v.status() != VmRun.Status.COMPLETE || v.detail() != null) {
                String what = v.status() == VmRun.Status.COMPLETE ? "note" : v.status().name().toLowerCase(Locale.ROOT);
                out.add("  " + what + "  " + (v.domain() == null ? "" : v.domain() + ": ") + v.detail());
            }
        }
        return out;
    }

    private static String time(Duration d) {
        return d == null ? null : Formats.duration(d);
    }
}
