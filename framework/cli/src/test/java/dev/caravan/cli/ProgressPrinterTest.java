package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.core.engine.Progress;
import dev.caravan.core.engine.Progress.Phase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    private static final long MIB = 1L << 20;

    private static Progress progress(Phase phase, long items, long itemsTotal, long bytes, long bytesTotal,
            long failed, Duration elapsed) {
        return new Progress("r1", phase, items, itemsTotal, bytes, bytesTotal, failed, elapsed);
    }

    @Test
    void formatsPercentBytesItemsRateAndEta() {
        Progress p = progress(Phase.TRANSFERRING, 840, 2000, 40 * MIB, 100 * MIB, 0, Duration.ofSeconds(4));
        assertThat(ProgressPrinter.format(p, false))
                .isEqualTo("transferring  40%  40.0 MiB/100.0 MiB  840/2,000 items  10.0 MiB/s  ETA 6.0s");
        assertThat(ProgressPrinter.format(p, true))
                .isEqualTo("transferring  40% [########------------]  40.0 MiB/100.0 MiB  840/2,000 items"
                        + "  10.0 MiB/s  ETA 6.0s");
    }

    @Test
    void unknownTotalsAndFailures() {
        Progress planning = progress(Phase.PLANNING, 0, 0, 0, 0, 0, Duration.ZERO);
        assertThat(ProgressPrinter.format(planning, true))
                .isEqualTo("planning         [--------------------]  0 B/0 B  0/0 items  0 B/s  ETA ?");
        Progress failing = progress(Phase.TRANSFERRING, 5, 10, 0, 0, 2, Duration.ofSeconds(1));
        assertThat(ProgressPrinter.format(failing, false)).startsWith("transferring  50%").contains(", 2 failed");
    }

    @Test
    void doneShowsTheElapsedTime() {
        Progress done = progress(Phase.DONE, 10, 10, 3 * MIB, 3 * MIB, 0, Duration.ofMillis(1500));
        assertThat(ProgressPrinter.format(done, false))
                .isEqualTo("done         100%  3.0 MiB/3.0 MiB  10/10 items  2.0 MiB/s  in 1.5s");
    }

    @Test
    void barRedrawsOneLineAndEndsItWhenDone() {
        StringWriter sw = new StringWriter();
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(sw), ProgressPrinter.Style.BAR, () -> 0);
        printer.onProgress(progress(Phase.TRANSFERRING, 1000, 2000, 50 * MIB, 100 * MIB, 0, Duration.ofSeconds(1)));
        printer.onProgress(progress(Phase.VERIFYING, 2000, 2000, 100 * MIB, 100 * MIB, 0, Duration.ofSeconds(2)));
        assertThat(sw.toString()).doesNotContain("\n").startsWith("\rtransferring  50%").contains("\rverifying");
        String first = sw.toString().substring(1, sw.toString().indexOf("\rverifying"));
        String second = sw.toString().substring(sw.toString().indexOf("\rverifying") + 1);
        assertThat(second.length()).isGreaterThanOrEqualTo(first.length()); // padded over the longer old line
        printer.onProgress(progress(Phase.DONE, 2000, 2000, 100 * MIB, 100 * MIB, 0, Duration.ofSeconds(2)));
        assertThat(sw.toString()).endsWith("\n");
        printer.finish();
        assertThat(sw.toString().chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void finishEndsAnOpenBar() {
        StringWriter sw = new StringWriter();
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(sw), ProgressPrinter.Style.BAR, () -> 0);
        printer.onProgress(progress(Phase.TRANSFERRING, 1, 2, 1, 2, 0, Duration.ofSeconds(1)));
        printer.finish();
        assertThat(sw.toString()).endsWith("\n");
    }

    @Test
    void plainLinesAtMostEveryFiveSeconds() {
        StringWriter sw = new StringWriter();
        AtomicLong now = new AtomicLong();
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(sw), ProgressPrinter.Style.LINES, now::get);
        Progress p = progress(Phase.TRANSFERRING, 1, 4, 1, 4, 0, Duration.ofSeconds(1));
        printer.onProgress(p); // first snapshot: printed
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        printer.onProgress(p); // 1 s later: skipped
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        printer.onProgress(p); // 5 s after the first: printed
        printer.onProgress(progress(Phase.DONE, 4, 4, 4, 4, 0, Duration.ofSeconds(6))); // summary follows instead
        assertThat(sw.toString().lines()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("transferring  25%"));
        assertThat(sw.toString()).doesNotContain("\r");
    }

    @Test
    void quietOrNoProgressMeansNoListener() {
        PrintWriter w = new PrintWriter(new StringWriter());
        assertThat(ProgressPrinter.forConsole(new Console(w, w, true, true, false), false))
                .isNotInstanceOf(ProgressPrinter.class);
        assertThat(ProgressPrinter.forConsole(new Console(w, w, false, true, false), true))
                .isNotInstanceOf(ProgressPrinter.class);
        assertThat(ProgressPrinter.forConsole(new Console(w, w, false, false, false), false))
                .isInstanceOf(ProgressPrinter.class);
    }
}
