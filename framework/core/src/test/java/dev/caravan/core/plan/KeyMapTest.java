package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of a key map: what they write, which keys they touch, and the rules refused. */
class KeyMapTest {
    private static final KeyMap AZURE = KeyMap.parse(List.of("replace:\\=\uff3c", "replace::=\uff1a"));

    @Test
    void everyReplacedCharacterOfAKeyIsWritten() {
        assertThat(AZURE.target("scans\\2019\\a:b.pdf")).isEqualTo("scans\uff3c2019\uff3ca\uff1ab.pdf");
        assertThat(AZURE.target("plain/key.txt")).isEqualTo("plain/key.txt");
        assertThat(AZURE.target("\uD83D\uDE00\\x")).as("characters outside the BMP stay")
                .isEqualTo("\uD83D\uDE00\uff3cx");
        assertThat(KeyMap.parse(List.of("replace:\uD83D\uDE00=_")).target("a\uD83D\uDE00b")).isEqualTo("a_b");
        assertThat(KeyMap.NONE.target("a\\b")).isEqualTo("a\\b");
        assertThat(KeyMap.parse(List.of()).isEmpty()).isTrue();
        assertThat(AZURE.rules()).hasSize(2);
    }

    @Test
    void keysWithAReplacedOrAReplacingCharacterAreTouched() {
        assertThat(AZURE.touchesSource("a\\b")).isTrue();
        assertThat(AZURE.touchesSource("a\uff3cb")).as("it could collide with a mapped key").isTrue();
        assertThat(AZURE.touchesSource("a/b")).isFalse();
        assertThat(AZURE.touchesTarget("a\uff3cb")).isTrue();
        assertThat(AZURE.touchesTarget("a\\b")).as("a target key is never mapped").isFalse();
        assertThat(KeyMap.NONE.touchesSource("a\\b")).isFalse();
    }

    @Test
    void aTrailingRuleWritesTheCharacterOnlyWhereItEndsAName() {
        KeyMap dots = KeyMap.parse(List.of("trailing:.=\uff0e", "replace:\\=\uff3c"));
        assertThat(dots.target("scans/file.")).isEqualTo("scans/file\uff0e");
        assertThat(dots.target("v1./data../a.b.c")).isEqualTo("v1\uff0e/data.\uff0e/a.b.c");
        assertThat(dots.target("x\\y./z.txt")).isEqualTo("x\uff3cy\uff0e/z.txt");
        assertThat(dots.target("a.b/c.txt")).as("dots inside names stay").isEqualTo("a.b/c.txt");
        assertThat(dots.touchesSource("a.b/c.txt")).as("so such keys are not taken aside").isFalse();
        assertThat(dots.touchesSource("a/b.")).isTrue();
        assertThat(dots.touchesSource("a./b")).isTrue();
        assertThat(dots.touchesSource("a\uff0e/b")).as("it could collide with a mapped key").isTrue();
        assertThat(dots.touchesTarget("a\uff0e")).isTrue();
        assertThat(dots.touchesTarget("a.")).isFalse();
        assertThatThrownBy(() -> KeyMap.parse(List.of("trailing:.=_", "replace:_=-")))
                .hasMessageContaining("each character may appear in one rule only");
        assertThatThrownBy(() -> KeyMap.parse(List.of("trailing:..=_"))).hasMessageContaining("trailing:C=R");
    }

    @Test
    void malformedRulesAreRefusedSayingWhy() {
        for (String rule : List.of("swap:a=b", "replace:ab=c", "replace:a=", "replace:=b", "replace:a=bc",
                "replace:a", "replace:/=_", "replace:_=/", "replace:a=a")) {
            assertThatThrownBy(() -> KeyMap.parse(List.of(rule))).as(rule).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("key map rule '" + rule + "' is malformed")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        }
        assertThatThrownBy(() -> KeyMap.parse(List.of("replace:a=b", "replace:b=c")))
                .hasMessageContaining("each character may appear in one rule only");
        assertThatThrownBy(() -> KeyMap.parse(List.of("replace:a=b", "replace:c=b")))
                .hasMessageContaining("each character may appear in one rule only");
    }
}
