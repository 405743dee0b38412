package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.TaskId;
import dev.caravan.api.store.ObjectKeys;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TempNamesTest {
    private static final TaskId TASK = TaskId.of("local:/a", "local:/b", "some/key");

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aTemporaryNameSitsNextToItsKey() {
        String partial = TempNames.partialKey("dir/report.pdf", TASK);
        assertThat(partial).isEqualTo("dir/.report.pdf.caravan-" + TASK.value().substring(0, 12) + ".partial");
        assertThat(TempNames.isPartial(partial)).isTrue();
        assertThat(TempNames.isPartial("dir/report.pdf")).isFalse();
    }

    @Test
    void theTemporaryNameOfALongValidFileNameIsAValidFileNameToo() {
        // 80 CJK characters are 244 bytes with ".txt": a valid Linux file name (at most 255 bytes)
        String name = "\u6f22".repeat(80) + ".txt";
        assertThat(utf8(name)).isEqualTo(244);
        String partial = ObjectKeys.baseName(TempNames.partialKey("dir/" + name, TASK));
        assertThat(utf8(partial)).isLessThanOrEqualTo(255);
        assertThat(partial).startsWith("." + "\u6f22".repeat(60) + ".caravan-");
        assertThat(TempNames.isPartial(partial)).isTrue();
    }

    @Test
    void truncationKeepsWholeCodePoints() {
        String emoji = "\uD83D\uDE00".repeat(100); // 4 bytes each
        String cut = TempNames.truncateUtf8(emoji, 181);
        assertThat(cut).isEqualTo("\uD83D\uDE00".repeat(45));
        assertThat(TempNames.truncateUtf8("a\u00e9".repeat(100), 10)).isEqualTo("a\u00e9a\u00e9a\u00e9a");
        assertThat(TempNames.truncateUtf8("short", 180)).isEqualTo("short");
    }
}
