package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checks a plan makes on the keys it would write, before anything is written. */
class PlanChecksTest extends EngineTestBase {
    private Optional<PreflightCheck> treeCheck(Mode mode) {
        return engine.plan(MigrationSpec.builder("mem:src", "mem:dst").mode(mode).build()).preflight().stream()
                .filter(c -> c.name().equals("target-tree")).findFirst();
    }

    @Test
    void aPlanToAFileTreeNamesObjectsThatWouldNeedAFileAndADirectoryOfOneName() {
        src.add("report", bytes("a file"), T0);
        src.add("report.pdf", bytes("between them"), T0);
        src.add("report/2026.pdf", bytes("under a folder of that name"), T0);
        dst.fileTree = true;

        PreflightCheck check = treeCheck(Mode.COPY).orElseThrow();

        assertThat(check.status()).isEqualTo(PreflightCheck.Status.WARN);
        assertThat(check.detail()).startsWith("1 name would be both a file and a folder on mem:dst")
                .contains("'report' (a file, and the folder of 'report/2026.pdf')");
    }

    @Test
    void aFileAlreadyOnTheTargetClashesWithANewObjectUnderItsName() {
        src.add("logs/today.txt", bytes("new"), T0);
        src.add("same.txt", bytes("same"), T0);
        dst.add("logs", bytes("a file on the target"), T0);
        dst.add("same.txt", bytes("same"), T0);
        dst.fileTree = true;

        assertThat(treeCheck(Mode.COPY).orElseThrow().detail()).contains("'logs' (a file, and the folder of 'logs/today.txt')");
        // a sync deletes the target's file, then copies the folder (TaskRunner): nothing to warn of
        assertThat(treeCheck(Mode.SYNC)).isEmpty();
    }

    @Test
    void anObjectStoreTargetHoldsBoth() {
        src.add("report", bytes("a file"), T0);
        src.add("report/2026.pdf", bytes("under a folder of that name"), T0);

        assertThat(treeCheck(Mode.COPY)).isEmpty();
    }

    @Test
    void aPlanNamesTheSourceEntriesThatAreNotObjects() {
        src.add("a.txt", bytes("a file"), T0);
        for (int i = 0; i < 6; i++) {
            src.skipped.add("link" + i, "a symbolic link", "followSymlinks=true follows links");
        }
        src.skipped.add("pipe", "a pipe", null);

        PreflightCheck check = engine.plan(MigrationSpec.builder("mem:src", "mem:dst").build()).preflight().stream()
                .filter(c -> c.name().equals("source-skipped")).findFirst().orElseThrow();

        assertThat(check.status()).isEqualTo(PreflightCheck.Status.WARN);
        assertThat(check.detail()).isEqualTo("7 entries of mem:src are left out (each with why): 'link0' (a"
                + " symbolic link), 'link1' (a symbolic link), 'link2' (a symbolic link), 'link3' (a "
                + "symbolic link), 'link4' (a symbolic link), ...; followSymlinks=true follows links");
    }

    /** A sync into a directory holding symbolic links said "complete and verified" and left them without a word. */
    @Test
    void thePlanAndTheRunNameTheTargetEntriesItsListingLeftOut() {
        src.add("a.txt", bytes("a file"), T0);
        dst.skipped.add("b", "a symbolic link", "followSymlinks=true follows links");
        dst.skipped.add("dirlink", "a symbolic link", "followSymlinks=true follows links");
        MigrationSpec spec = MigrationSpec.builder("mem:src", "mem:dst").mode(Mode.SYNC).build();

        PreflightCheck check = engine.plan(spec).preflight().stream().filter(c -> c.name().equals("target-skipped"))
                .findFirst().orElseThrow();
        RunResult run = engine.run(spec, ProgressListener.NONE);

        String expected = "2 entries of mem:dst are left out of its listing, so they are neither compared nor deleted"
                + " (an object of the source under the same key replaces the entry itself); each with why: 'b' (a"
                + " symbolic link), 'dirlink' (a symbolic link); followSymlinks=true follows links";
        assertThat(check.status()).isEqualTo(PreflightCheck.Status.WARN);
        assertThat(check.detail()).isEqualTo(expected);
        assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(run.warnings()).contains(expected);
    }

    @Test
    void aPlanNamesTheArchivedObjectsOfTheSourceAndHowToRestoreThem() {
        src.add("a.txt", bytes("a file"), T0);
        src.archived.add("old/2019.tar", "storage class DEEP_ARCHIVE", "restore them first");

        PreflightCheck check = engine.plan(MigrationSpec.builder("mem:src", "mem:dst").build()).preflight().stream()
                .filter(c -> c.name().equals("source-archived")).findFirst().orElseThrow();

        assertThat(check.status()).isEqualTo(PreflightCheck.Status.WARN);
        assertThat(check.detail()).isEqualTo("1 object of mem:src is archived and cannot be read until restored (those"
                + " to copy fail, the rest is copied): 'old/2019.tar' (storage class DEEP_ARCHIVE); restore them first");
        assertThat(engine.plan(MigrationSpec.builder("mem:dst", "mem:src").build()).preflight())
                .as("nothing archived on that source").noneMatch(c -> c.name().equals("source-archived"));
    }

    @Test
    void aRunKeepsWhatTheListingNotedAsWarningsOfItsResult() {
        src.add("a.txt", bytes("a file"), T0);
        src.archived.add("old/2019.tar", "storage class GLACIER", null);

        RunResult run = engine.run(MigrationSpec.builder("mem:src", "mem:dst").build(), ProgressListener.NONE);

        assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(run.warnings()).singleElement().asString().startsWith("1 object of mem:src is archived")
                .endsWith("'old/2019.tar' (storage class GLACIER)");
    }

    /** A plan of one object said "listed 1 objects". */
    @Test
    void theAccessChecksCountListedObjectsInWords() {
        src.add("a.txt", bytes("one"), T0);
        dst.add("a.txt", bytes("one"), T0);
        dst.add("b.txt", bytes("two"), T0);

        var checks = engine.plan(MigrationSpec.builder("mem:src", "mem:dst").build()).preflight();

        assertThat(checks).filteredOn(c -> c.name().equals("source-access")).singleElement()
                .extracting(PreflightCheck::detail).isEqualTo("listed 1 object on mem:src");
        assertThat(checks).filteredOn(c -> c.name().equals("target-access")).singleElement()
                .extracting(PreflightCheck::detail).asString().startsWith("listed 2 objects on mem:dst;");
    }
}
