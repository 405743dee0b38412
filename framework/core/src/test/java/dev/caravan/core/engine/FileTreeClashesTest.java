package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.core.testing.MemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileTreeClashesTest {
    private FileTreeClashes clashes;

    @BeforeEach
    void setUp() {
        MemoryStore.reset();
        clashes = new FileTreeClashes(MemoryStore.named("dst"));
    }

    private String detail(String... keys) {
        List<String> sorted = new ArrayList<>(List.of(keys));
        sorted.sort(ObjectKeys.ORDER);
        sorted.forEach(clashes::accept);
        return clashes.result().map(PreflightCheck::detail).orElse(null);
    }

    @Test
    void findsAFileWhoseNameIsAnotherObjectsFolderEvenWithKeysSortedBetweenThem() {
        // '!', '-' and '.' sort before '/', so a.txt and a-b come between a and a/b
        String detail = detail("a", "a!", "a-b", "a.txt", "a/b", "a/c/d", "b");

        assertThat(detail).startsWith("1 name would be both a file and a folder on mem:dst, which a file system cannot"
                + " hold: 'a' (a file, and the folder of 'a/b' and 1 more); the copies that meet it fail");
    }

    @Test
    void namesTheNearestFileOfADeepPath() {
        assertThat(detail("x/y", "x/y/z/w", "x/y/z")).contains("2 names", "'x/y' (a file, and the folder of 'x/y/z')",
                "'x/y/z' (a file, and the folder of 'x/y/z/w')");
    }

    @Test
    void keysThatOnlyShareABeginningDoNotClash() {
        assertThat(detail("a", "ab/c", "a.b/c", "a-", "dir/file", "dir/file2", "dir2/file", "dir/")).isNull();
    }

    @Test
    void aKeySeenTwiceIsNotItsOwnFolder() {
        clashes.accept("a");
        clashes.accept("a");
        clashes.accept("a/b");

        assertThat(clashes.result().orElseThrow().detail()).startsWith("1 name would be")
                .contains("'a' (a file, and the folder of 'a/b')");
    }

    @Test
    void showsTheFirstFiveNamesAndTheCount() {
        List<String> keys = new ArrayList<>();
        IntStream.range(0, 8).forEach(i -> {
            keys.add("f" + i);
            keys.add("f" + i + "/x");
        });

        String detail = detail(keys.toArray(String[]::new));

        assertThat(detail).startsWith("8 names would be").contains("'f4' (a file, and the folder of 'f4/x')")
                .doesNotContain("'f5'").contains(", ...; the copies that meet them fail");
    }
}
