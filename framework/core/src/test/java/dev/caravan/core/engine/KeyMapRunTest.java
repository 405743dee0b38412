package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A migration with a key map to a target that holds no backslash (as Azure Blob): objects are written under their
 * mapped keys, a rerun finds them in place, a sync deletes by the mapped key, a move removes the source, and
 * verification pairs them; two source keys of one target key stop the plan before anything is written.
 */
class KeyMapRunTest extends EngineTestBase {
    private static final List<String> MAP = List.of("replace:\\=\uff3c");

    @BeforeEach
    void setUp() {
        dst.unholdable = "\\";
        src.add("scans\\2019.pdf", bytes("scan"), T0);
        src.add("scans/2020.pdf", bytes("scan 2020"), T0);
        src.add("z.txt", bytes("last"), T0);
    }

    private MigrationSpec spec(Mode mode) {
        return MigrationSpec.builder("mem:src", "mem:dst").mode(mode).keyMap(MAP).build();
    }

    @Test
    void objectsAreWrittenUnderTheirMappedKeysAndARerunFindsThemInPlace() {
        RunResult first = engine.run(spec(Mode.COPY), ProgressListener.NONE);

        assertThat(first.outcome()).as(first.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(first.copied()).isEqualTo(3);
        assertThat(first.verification().count(VerificationOutcome.MATCH)).isEqualTo(3);
        assertThat(dst.objects().keySet()).containsExactlyInAnyOrder("scans\uff3c2019.pdf", "scans/2020.pdf",
                "z.txt");
        assertThat(dst.bytes("scans\uff3c2019.pdf")).isEqualTo(bytes("scan"));
        String json = readString(first.reportJson());
        assertThat(json).contains("\"key\" : \"scans\\\\2019.pdf\"", "\"targetKey\" : \"scans\uff3c2019.pdf\"");
        assertThat(json.split("targetKey", -1)).as("only the mapped object names a target key").hasSize(2);
        assertThat(readString(first.reportHtml())).contains("scans\\2019.pdf &rarr; scans\uff3c2019.pdf");

        PlanResult again = engine.plan(spec(Mode.COPY));
        assertThat(again.summary().transferCount()).as("nothing to copy again").isZero();
        assertThat(again.summary().sameCount()).isEqualTo(3);
        assertThat(again.preflight()).noneMatch(c -> c.name().equals("target-keys"));
        VerificationReport verified = engine.verify(spec(Mode.COPY));
        assertThat(verified.count(VerificationOutcome.MATCH)).isEqualTo(3);
        assertThat(verified.clean()).isTrue();
    }

    @Test
    void withoutTheMapThePlanNamesTheKeyTheTargetCannotHold() {
        PlanResult plan = engine.plan(MigrationSpec.builder("mem:src", "mem:dst").build());
        assertThat(plan.preflight()).anyMatch(c -> c.name().equals("target-keys")
                && c.detail().contains("'scans\\2019.pdf'"));
        PlanResult mapped = engine.plan(spec(Mode.COPY));
        assertThat(mapped.preflight()).noneMatch(c -> c.name().equals("target-keys"));
        assertThat(mapped.sample()).anyMatch(a -> a.key().equals("scans\\2019.pdf")
                && a.reason().endsWith(", written as 'scans\uff3c2019.pdf'"));
    }

    @Test
    void aSyncDeletesTheMappedKeyOfAnObjectGoneFromTheSourceAndAMoveEmptiesTheSource() {
        assertThat(engine.run(spec(Mode.COPY), ProgressListener.NONE).outcome()).isEqualTo(RunOutcome.COMPLETE);
        src.delete("scans\\2019.pdf");
        src.add("new\\one.txt", bytes("new"), T0);

        RunResult sync = engine.run(spec(Mode.SYNC), ProgressListener.NONE);

        assertThat(sync.outcome()).as(sync.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(sync.deleted()).isEqualTo(1);
        assertThat(dst.objects().keySet()).containsExactlyInAnyOrder("new\uff3cone.txt", "scans/2020.pdf", "z.txt");

        RunResult move = engine.run(spec(Mode.MOVE), ProgressListener.NONE);
        assertThat(move.outcome()).as(move.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(src.objects()).isEmpty();
        assertThat(dst.objects().keySet()).containsExactlyInAnyOrder("new\uff3cone.txt", "scans/2020.pdf", "z.txt");
    }

    @Test
    void twoSourceKeysOfOneTargetKeyStopThePlanBeforeAnythingIsWritten() {
        src.add("scans\uff3c2019.pdf", bytes("another"), T0);

        assertThatThrownBy(() -> engine.run(spec(Mode.COPY), ProgressListener.NONE))
                .isInstanceOf(MigrationException.class).hasMessageContaining("writes both");
        assertThat(dst.objects()).isEmpty();
    }

    private static String readString(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
