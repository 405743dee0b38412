package dev.caravan.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {
    @Test
    void hostileKeysAreRefused() {
        for (String key : List.of("../x", "a/../../b", "/etc/passwd", "a//b", "a/./b", "", "a\0b", "..", "dir/")) {
            assertThatThrownBy(() -> ObjectKeys.requireSafe(key))
                    .isInstanceOf(MigrationException.class)
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_DATA);
        }
        assertThat(ObjectKeys.requireSafe("a/b c/..d/é.txt")).isEqualTo("a/b c/..d/é.txt");
        assertThat(ObjectKeys.problem("dir/")).isEqualTo("the key ends with '/' (a folder marker that holds data)");
    }

    @Test
    void aBackslashIsAnOrdinaryCharacter() {
        // S3 and POSIX file names hold it; a store that cannot (Azure Blob) refuses it itself
        assertThat(ObjectKeys.requireSafe("..\\..\\etc\\passwd")).isEqualTo("..\\..\\etc\\passwd");
    }

    @Test
    void orderIsCodePointOrderLikeS3() {
        List<String> keys = new ArrayList<>(List.of("a/b", "a.txt", "\uFF5E", "\uD83D\uDE00", "a", "B", "ab"));
        keys.sort(ObjectKeys.ORDER);
        // '.' (2E) < '/' (2F); U+FF5E < U+1F600 although its UTF-16 form sorts higher
        assertThat(keys).containsExactly("B", "a", "a.txt", "a/b", "ab", "\uFF5E", "\uD83D\uDE00");
    }

    @Test
    void parentAndBaseName() {
        assertThat(ObjectKeys.parent("a/b/c")).isEqualTo("a/b");
        assertThat(ObjectKeys.parent("c")).isEmpty();
        assertThat(ObjectKeys.baseName("a/b/c")).isEqualTo("c");
    }
}
