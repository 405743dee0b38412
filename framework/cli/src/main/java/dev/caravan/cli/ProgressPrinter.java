package dev.caravan.cli;

import dev.caravan.core.engine.Progress;
import dev.caravan.core.engine.ProgressListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows a run's progress on standard error. On a terminal it redraws one line with {@code \r}: a bar, percent,
 * bytes done/total, items done/total, throughput and ETA. Elsewhere (a pipe, a log file, CI) it prints a plain
 * line at most every {@link #LINE_INTERVAL}, so logs stay short. Thread-safe: the engine may call it from any
 * thread.
 */
public final class ProgressPrinter implements ProgressListener {
    /** How often a plain progress line is printed when the output is not a terminal. */
    public static final Duration LINE_INTERVAL = Duration.ofSeconds(5);
    private static final int BAR_WIDTH = 20;

    /** How progress is shown. */
    public enum Style {
        /** One line redrawn in place with a bar (a terminal). */
        BAR,
        /** A plain line every few seconds (pipes, log files). */
        LINES
    }

    private final PrintWriter out;
    private final Style style;
    private final LongSupplier nanoClock;
    private long lastLineNanos;
    private boolean printedLine;
    private int drawnWidth;

    public ProgressPrinter(PrintWriter out, Style style) {
        this(out, style, System::nanoTime);
    }

    /** With an injectable clock, for tests. */
    ProgressPrinter(PrintWriter out, Style style, LongSupplier nanoClock) {
        this.out = out;
        this.style = style;
        this.nanoClock = nanoClock;
    }

    /** The listener a command should pass to the engine: this printer, or {@link ProgressListener#NONE}. */
    public static ProgressListener forConsole(Console console, boolean noProgress) {
        if (console.quiet() || noProgress) {
            return ProgressListener.NONE;
        }
        return new ProgressPrinter(console.err(), console.terminal() ? Style.BAR : Style.LINES);
    }

    /** Ends a bar line drawn by a listener returned from {@link #forConsole}, if any. */
    public static void finish(ProgressListener listener) {
        if (listener instanceof ProgressPrinter p) {
            p.finish();
        }
    }

    @Override
    public synchronized void onProgress(Progress p) {
        if (style == Style.BAR) {
            String line = format(p, true);
            int pad = Math.max(0, drawnWidth - line.length());
            out.print("\r" + line + " ".repeat(pad));
            drawnWidth = line.length();
            if (p.phase() == Progress.Phase.DONE) {
                out.println();
                drawnWidth = 0;
            }
            out.flush();
            return;
        }
        long now = nanoClock.getAsLong();
        if (p.phase() == Progress.Phase.DONE) {
            return; // the command prints a summary right after
        }
        if (!printedLine || now - lastLineNanos >= LINE_INTERVAL.toNanos()) {
            out.println(format(p, false));
            out.flush();
            printedLine = true;
            lastLineNanos = now;
        }
    }

    /** Moves past a bar that is still drawn (a run that ended without a DONE snapshot). */
    public synchronized void finish() {
        if (drawnWidth > 0) {
            out.println();
            out.flush();
            drawnWidth = 0;
        }
    }

    /**
     * One progress line, e.g. {@code transferring  42% [########------------] 1.2 GiB/2.9 GiB  840/2,000 items
     * 85.3 MiB/s  ETA 21.0s}.
     *
     * @param withBar whether to draw the bar
     */
    public static String format(Progress p, boolean withBar) {
        StringBuilder sb = new StringBuilder(100);
        sb.append(String.format(Locale.ROOT, "%-12s", p.phase().name().toLowerCase(Locale.ROOT)));
        int pct = p.bytesTotal() > 0 ? Formats.percent(p.bytesDone(), p.bytesTotal())
                : Formats.percent(p.itemsDone(), p.itemsTotal());
        if (p.phase() == Progress.Phase.DONE) {
            pct = 100;
        }
        sb.append(pct < 0 ? "    " : String.format(Locale.ROOT, " %3d%%", pct));
        if (withBar) {
            sb.append(' ').append(bar(pct));
        }
        sb.append("  ").append(Formats.bytes(p.bytesDone())).append('/').append(Formats.bytes(p.bytesTotal()));
        sb.append("  ").append(Formats.count(p.itemsDone())).append('/').append(Formats.count(p.itemsTotal()))
                .append(" items");
        if (p.failed() > 0) {
            sb.append(", ").append(Formats.count(p.failed())).append(" failed");
        }
        sb.append("  ").append(Formats.rate(p.throughput()));
        if (p.phase() == Progress.Phase.DONE) {
            sb.append("  in ").append(Formats.duration(p.elapsed()));
        } else {
            Duration eta = p.eta();
            sb.append("  ETA ").append(eta == null ? "?" : Formats.duration(eta));
        }
        return sb.toString();
    }

    static String bar(int percent) {
        int filled = percent < 0 ? 0 : percent * BAR_WIDTH / 100;
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }
}
