package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlanSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunPrinterTest {
    private static final long MIB = 1024 * 1024;

    private static RunResult run(Mode mode, long bytes, long resumed, long deleted) {
        return run(mode, bytes, resumed, deleted, List.of());
    }

    private static RunResult run(Mode mode, long bytes, long resumed, long deleted, List<String> warnings) {
        return new RunResult("r1", "m1", "a -> b", RunOutcome.COMPLETE, resumed > 0, false, mode,
                new PlanSummary(1, bytes, 0, 0, deleted, 0, 0, 0, 1, 0), 1, bytes, resumed, deleted, 0, 0, 0,
                new VerificationReport(10), Instant.EPOCH, Duration.ofSeconds(2), List.of(), warnings, null, null);
    }

    @Test
    void whatTheListingsNotedIsInTheSummary() {
        assertThat(RunPrinter.lines(run(Mode.COPY, MIB, 0, 0, List.of("2 entries of local:/a are not files"))))
                .contains("  warning   2 entries of local:/a are not files");
        assertThat(RunPrinter.lines(run(Mode.COPY, MIB, 0, 0))).noneMatch(l -> l.contains("warning"));
    }

    @Test
    void aResumedCopySaysWhatAnInterruptedAttemptHadSentAndRatesOnlyWhatThisRunSent() {
        List<String> lines = RunPrinter.lines(run(Mode.COPY, 400 * MIB, 144 * MIB, 0));

        assertThat(lines.get(0)).isEqualTo("a -> b: complete and verified in 2.0s (resumed run)");
        assertThat(lines.get(2)).startsWith("  copied    1 object, 400.0 MiB (144.0 MiB sent before an interruption, "
                + "not again) at 128.0 MiB/s; deleted 0");
        assertThat(RunPrinter.lines(run(Mode.COPY, 400 * MIB, 0, 0)).get(2))
                .startsWith("  copied    1 object, 400.0 MiB at 200.0 MiB/s;");
    }

    @Test
    void aWorkerThatJoinedARunAnotherWorkerStartedSaysSoAndNotThatItResumedOne() {
        RunResult joined = new RunResult("r1", "m1", "a -> b", RunOutcome.COMPLETE, false, true, Mode.COPY,
                new PlanSummary(1, MIB, 0, 0, 0, 0, 0, 0, 1, 0), 1, MIB, 0, 0, 0, 0, 0, new VerificationReport(10),
                Instant.EPOCH, Duration.ofSeconds(2), List.of(), List.of(), null, null);

        assertThat(RunPrinter.lines(joined).get(0))
                .isEqualTo("a -> b: complete and verified in 2.0s (joined a run another worker started)");
    }

    @Test
    void aMoveSaysItRemovesFromTheSourceWhereASyncDeletes() {
        assertThat(RunPrinter.lines(run(Mode.MOVE, MIB, 0, 1))).anyMatch(l -> l.contains("1 to remove from the "
                + "source, ")).anyMatch(l -> l.contains("; removed from the source 1, "))
                .noneMatch(l -> l.contains("delete"));
        assertThat(RunPrinter.lines(run(Mode.SYNC, MIB, 0, 1))).anyMatch(l -> l.contains("1 to delete, "))
                .anyMatch(l -> l.contains("; deleted 1, "));
    }

    @Test
    void errorsBeyondTheTenShownAreCountedAndTheReportNamed() {
        List<String> errors = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "COPY k" + i + ": refused").toList();
        RunResult r = new RunResult("r1", "m1", "a -> b", RunOutcome.FAILED, false, false, Mode.COPY,
                new PlanSummary(12, 12, 0, 0, 0, 0, 0, 0, 12, 0), 0, 0, 0, 0, 0, 12, 0, new VerificationReport(10),
                Instant.EPOCH, Duration.ofSeconds(2), errors, List.of(), null, null);

        List<String> lines = RunPrinter.lines(r);

        assertThat(lines).contains("  error     COPY k9: refused", "            ... and 2 more (see the report)")
                .noneMatch(l -> l.contains("COPY k10"));
    }
}
