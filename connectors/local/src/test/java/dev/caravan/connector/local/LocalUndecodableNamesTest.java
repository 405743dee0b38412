package dev.caravan.connector.local;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File and folder names whose bytes are not UTF-8 (made by a shell, as a Latin-1 system leaves them): Java lists them
 * with U+FFFD, a key no file answers to. Nothing of them may vanish without a word: a folder is still walked (through
 * the path its directory gave), and reading, looking at or deleting such a key fails for that object alone
 * (USER_DATA) saying why and what to do, instead of "not found" (a copy said "disappeared", a sync counted a deletion
 * that did not happen).
 */
class LocalUndecodableNamesTest {
    @TempDir
    Path root;

    @BeforeEach
    void makeNames() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "printf x > \"$(printf 'bad\\377.txt')\" && mkdir \"$(printf "
                + "'dir\\376')\" && printf yy > \"$(printf 'dir\\376')/in.txt\" && printf z > ok.txt && printf 1 > "
                + "\"$(printf 'twin\\377')\" && printf 2 > \"$(printf 'twin\\376')\"")
                .directory(root.toFile()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void suchNamesAreListedAndEachOfThemFailsSayingWhy() throws IOException {
        try (LocalObjectStore store = LocalObjectStore.open(root, LocalStoreSettings.DEFAULTS)) {
            List<ObjectInfo> listed;
            try (Stream<ObjectInfo> s = store.list("")) {
                listed = s.toList();
            }
            assertThat(listed).extracting(ObjectInfo::key)
                    .containsExactly("bad\uFFFD.txt", "dir\uFFFD/in.txt", "ok.txt", "twin\uFFFD");
            assertThat(store.skipped().shownText()).as("two names read alike: one listed, the other named")
                    .contains("'twin\uFFFD' (a name whose bytes are not UTF-8 and read as the name of another entry)");
            assertThat(listed.get(1).size()).as("the file in the folder, reached through the listed path").isEqualTo(2);

            assertThat(assertFailsWith(ErrorKind.USER_DATA, "reading a file of such a name",
                    () -> store.open("bad\uFFFD.txt", ByteRange.ALL)).getMessage())
                    .contains("'bad\uFFFD.txt' cannot be read").contains("not UTF-8").contains("convmv");
            assertThat(assertFailsWith(ErrorKind.USER_DATA, "a file in a folder of such a name",
                    () -> store.stat("dir\uFFFD/in.txt")).getMessage())
                    .contains("the name " + root.resolve("dir\uFFFD") + " holds bytes that are not UTF-8");
            assertFailsWith(ErrorKind.USER_DATA, "deleting it", () -> store.delete("bad\uFFFD.txt"));
            assertThat(store.stat("bad\uFFFD-other.txt")).as("a key that merely holds U+FFFD is missing").isEmpty();
            store.delete("missing\uFFFD.txt"); // nothing to delete and nothing listed of that name
        }
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.count()).as("nothing was deleted").isEqualTo(5);
        }
    }
}
