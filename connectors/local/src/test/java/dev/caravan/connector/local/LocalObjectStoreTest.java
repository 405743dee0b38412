package dev.caravan.connector.local;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.keys;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of the local store beyond the shared contract: order on disk, limits, errors and attributes. */
class LocalObjectStoreTest {

    @TempDir
    Path tmp;

    private LocalObjectStore store(Path root) {
        return LocalObjectStore.open(root, LocalStoreSettings.DEFAULTS);
    }

    private static void file(Path path, String content) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }

    private static ObjectInfo put(LocalObjectStore store, String key, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return store.put(key, new ByteArrayInputStream(bytes), PutRequest.ofSize(bytes.length));
    }

    @Test
    void filesSortBeforeDirectoriesOfTheSameStem() throws IOException {
        for (String name : List.of("a0", "a/b", "a.txt", "a-b", "a/a/z", "a/.hidden", "A")) {
            file(tmp.resolve(name), name);
        }
        assertThat(keys(store(tmp), "")).containsExactly("A", "a-b", "a.txt", "a/.hidden", "a/a/z", "a/b", "a0");
    }

    @Test
    void namesOfUpTo255BytesAreStoredAndLongerOnesRefusedBeforeAnythingIsWritten() throws IOException {
        LocalObjectStore store = store(tmp);
        String longest = "\u6f22".repeat(83) + "ab"; // 3 * 83 + 2 = 251 bytes in UTF-8
        String tooLong = "\u6f22".repeat(85) + "a"; // 256 bytes
        assertThat(store.keyProblem("dir/" + longest)).isNull();
        put(store, "dir/" + longest, "kept");
        assertThat(Files.readString(tmp.resolve("dir").resolve(longest))).isEqualTo("kept");

        assertThat(store.keyProblem(tooLong + "/x")).isEqualTo("a file or directory name in it has 256 bytes in UTF-8,"
                + " file systems allow 255");
        MigrationException refused = assertFailsWith(ErrorKind.USER_DATA, "put of a 256-byte name",
                () -> put(store, tooLong + "/x", "lost?"));
        assertThat(refused).hasMessageContaining("256 bytes");
        assertThat(keys(store, "")).containsExactly("dir/" + longest);
    }

    @Test
    void theRootLocationIsTheRealPathSoARootReachedThroughALinkIsSeen() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("disk/data"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), data);
        String throughTheLink = store(link.resolve("sub/new")).rootLocation();
        assertThat(throughTheLink).isEqualTo(store(data.resolve("sub/new")).rootLocation()).startsWith("local:")
                .endsWith("/disk/data/sub/new"); // /tmp may be a mount of its own: the path is then from its root
        assertThat(store(link).uri()).isEqualTo("local:" + link); // the location as given stays the URI
    }

    @Test
    void aFileThatChangesWhileItIsReadFailsTheReadAtItsEnd() throws IOException {
        LocalObjectStore store = store(tmp);
        Path file = tmp.resolve("db.img");
        Files.write(file, new byte[200_000]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));

        try (InputStream in = store.open("db.img", ByteRange.ALL)) {
            in.readNBytes(100_000);
            byte[] other = new byte[200_000];
            other[150_000] = 1; // written in place, same size: only the time tells
            Files.write(file, other);
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining("the file changed while it was read (200000 bytes modified at"
                            + " 2026-01-01T00:00:00Z when opened, now 200000 bytes");
        }
        try (InputStream in = store.open("db.img", ByteRange.ALL)) {
            assertThat(in.readAllBytes()).hasSize(200_000); // read whole while nothing wrote to it
            assertThat(in.read()).isEqualTo(-1);
        }
        InputStream exact = store.open("db.img", ByteRange.ALL);
        exact.readNBytes(new byte[200_000], 0, 200_000); // every byte, never the end (as a put of a known size)
        Files.writeString(file, "appended", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(exact::close).isInstanceOf(IOException.class).hasMessageContaining("now 200008 bytes");
        try (InputStream in = store.open("db.img", new ByteRange(1000, 10))) {
            in.readAllBytes();
            Files.writeString(tmp.resolve("db.img"), "appended", java.nio.file.StandardOpenOption.APPEND);
            assertThat(in.read()).as("checked once, at the end of the range").isEqualTo(-1);
        }
    }

    @Test
    void aBackslashIsPartOfAFileName() throws IOException {
        LocalObjectStore store = store(tmp);
        put(store, "a\\..\\b", "one file");
        assertThat(Files.readString(tmp.resolve("a\\..\\b"))).isEqualTo("one file");
        assertThat(keys(store, "")).containsExactly("a\\..\\b");
    }

    @Test
    void aRootRemovedBetweenWritesIsMadeAgain() throws IOException {
        Path root = tmp.resolve("made/root");
        LocalObjectStore store = store(root);
        put(store, "a", "a");
        store.rename("a", "b");
        Files.delete(root.resolve("b"));
        Files.delete(root);

        put(store, "c", "c");
        store.rename("c", "d");

        assertThat(root.resolve("d")).hasContent("c");
    }

    @Test
    void symlinkLeavingTheRootIsRefused() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        file(outside.resolve("secret"), "secret");
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createSymbolicLink(root.resolve("file-link"), outside.resolve("secret"));
        file(root.resolve("plain"), "plain");
        LocalObjectStore store = store(root);

        for (String key : List.of("link/secret", "file-link")) {
            assertFailsWith(ErrorKind.USER_DATA, "stat " + key, () -> store.stat(key));
            assertFailsWith(ErrorKind.USER_DATA, "open " + key, () -> store.open(key, ByteRange.ALL));
            assertFailsWith(ErrorKind.USER_DATA, "delete " + key, () -> store.delete(key));
        }
        MigrationException refused = assertFailsWith(ErrorKind.USER_DATA, "put through a link",
                () -> put(store, "link/new", "x"));
        assertThat(refused).hasMessageContaining("symbolic link").hasMessageContaining("followSymlinks");
        assertFailsWith(ErrorKind.USER_DATA, "rename into a link", () -> store.rename("plain", "link/plain"));
        // a link in the place of the new name is replaced, never written through
        put(store, "replacement", "replacement");
        store.rename("replacement", "file-link");

        assertThat(outside.resolve("new")).doesNotExist();
        assertThat(outside.resolve("plain")).doesNotExist();
        assertThat(outside.resolve("secret")).hasContent("secret");
        assertThat(root.resolve("file-link")).isRegularFile().hasContent("replacement");
        assertThat(keys(store, "")).containsExactly("file-link", "plain");
        assertThat(keys(store, "link/")).isEmpty();
    }

    @Test
    void followedSymlinksAreListedAndLoopsEndTheWalk() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        file(tmp.resolve("outside/secret"), "shared");
        Files.createSymbolicLink(root.resolve("link"), tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("loop"), root);
        Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nothing"));
        LocalObjectStore store = LocalObjectStore.open(root, new LocalStoreSettings(false, true, true, false));

        assertThat(keys(store, "")).containsExactly("link/secret");
        assertThat(read(store, "link/secret", ByteRange.ALL)).asString(StandardCharsets.UTF_8).isEqualTo("shared");
    }

    @Test
    void unwritableDirectoryGivesAClearUserConfigError() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("readonly"));
        LocalObjectStore store = store(root);
        try (Unwritable locked = Unwritable.make(root)) {
            MigrationException onPut = assertFailsWith(ErrorKind.USER_CONFIG, "put into " + root,
                    () -> put(store, "x", "data"));
            assertThat(onPut.getMessage()).contains(root.toString()).containsAnyOf("permission denied: ",
                    "operation not permitted: ");
            MigrationException onProbe = assertFailsWith(ErrorKind.USER_CONFIG, "probe of " + root,
                    () -> store.probeWrite(".caravan-probe"));
            assertThat(onProbe.getMessage()).contains(root.toString());
            assertFailsWith(ErrorKind.USER_CONFIG, "put into a new subdirectory", () -> put(store, "d/x", "data"));
        }
        assertThat(keys(store, "")).isEmpty();
    }

    @Test
    void modeAndModificationTimeArePreserved() throws IOException {
        LocalObjectStore store = store(tmp);
        Instant time = Instant.parse("2020-02-29T12:34:56.789Z");
        ObjectInfo info = store.put("dir/script.sh", new ByteArrayInputStream(new byte[] {'#', '!'}),
                new PutRequest(2, time, null, Map.of(), 0751));
        Path file = tmp.resolve("dir/script.sh");
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(FileTime.from(time));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rwxr-x--x");
        assertThat(info.modTime()).isEqualTo(time);
        assertThat(info.posixMode()).isEqualTo(0751);
        assertThat(store.stat("dir/script.sh")).get().extracting(ObjectInfo::posixMode).isEqualTo(0751);
    }

    @Test
    void withoutPreserveModeNoModeIsReportedOrApplied() throws IOException {
        LocalObjectStore store = LocalObjectStore.open(tmp, new LocalStoreSettings(false, false, false, false));
        ObjectInfo info = store.put("f", new ByteArrayInputStream(new byte[1]), new PutRequest(1, null, null,
                Map.of(), 0777));
        assertThat(info.posixMode()).isEqualTo(-1);
        assertThat(store.features().keepsPosixMode()).isFalse();
        assertThat(Files.getPosixFilePermissions(tmp.resolve("f"))).hasSizeLessThan(9);
    }

    @Test
    void largeFlatDirectoryIsListedLazilyInOrder() throws IOException {
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        for (int i = 19_999; i >= 0; i--) {
            Files.createFile(flat.resolve("f" + i));
        }
        LocalObjectStore store = store(tmp);
        try (Stream<ObjectInfo> listing = store.list("")) {
            assertThat(listing.limit(5).map(ObjectInfo::key)).containsExactly("flat/f0", "flat/f1", "flat/f10",
                    "flat/f100", "flat/f1000");
        }
        long count = 0;
        String previous = "";
        try (Stream<ObjectInfo> listing = store.list("flat/f1")) {
            for (Iterator<ObjectInfo> it = listing.iterator(); it.hasNext(); count++) {
                String key = it.next().key();
                assertThat(ObjectKeys.ORDER.compare(previous, key)).as("%s after %s", key, previous).isNegative();
                previous = key;
            }
        }
        assertThat(count).isEqualTo(11_111);
    }

    @Test
    void deleteRemovesEmptyParentsButNeverTheRoot() throws IOException {
        LocalObjectStore store = store(tmp);
        put(store, "a/b/c/d", "1");
        put(store, "a/keep", "2");
        store.delete("a/b/c/d");
        assertThat(tmp.resolve("a/b")).doesNotExist();
        assertThat(tmp.resolve("a/keep")).exists();
        store.delete("a/keep");
        assertThat(tmp).isEmptyDirectory();
        store.delete("a");
        assertThat(tmp).exists();
    }

    @Test
    void fileAndDirectoryClashesAreUserDataErrors() throws IOException {
        LocalObjectStore store = store(tmp);
        put(store, "dir/child", "1");
        put(store, "file", "2");
        assertThat(assertFailsWith(ErrorKind.USER_DATA, "put over a directory", () -> put(store, "dir", "x")))
                .hasMessageContaining("clash at " + tmp.resolve("dir") + " ").hasMessageContaining("a directory is");
        assertThat(assertFailsWith(ErrorKind.USER_DATA, "put under a file", () -> put(store, "file/child", "x")))
                .hasMessageContaining("clash at " + tmp.resolve("file") + " ").hasMessageContaining("a file is where");
        assertThat(assertFailsWith(ErrorKind.USER_DATA, "rename onto a directory", () -> store.rename("file", "dir")))
                .hasMessageContaining("clash at " + tmp.resolve("dir") + " ");
        assertThat(keys(store, "")).containsExactly("dir/child", "file");
        store.delete("dir");
        assertThat(keys(store, "")).containsExactly("dir/child", "file");
    }

    @Test
    void failedPutLeavesNoPartialFile() {
        LocalObjectStore store = store(tmp);
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[100_000]), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
        MigrationException e = assertFailsWith(ErrorKind.TRANSIENT, "put of a failing stream",
                () -> store.put("broken/file", failing, PutRequest.ofSize(200_000)));
        assertThat(e).hasMessageContaining("broken/file").hasMessageContaining("connection reset");
        assertThat(tmp.resolve("broken/file")).doesNotExist();
    }

    @Test
    void missingRootFailsClearlyAndCreateRootCreatesIt() {
        Path missing = tmp.resolve("not/there");
        LocalObjectStore store = LocalObjectStore.open(missing, new LocalStoreSettings(false, false, true,
                false));
        MigrationException onList = assertFailsWith(ErrorKind.NOT_FOUND, "list of a missing root",
                () -> store.list(""));
        assertThat(onList).hasMessage("source directory " + missing + " does not exist");
        assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "put into a missing root", () -> put(store, "x", "1")))
                .hasMessageContaining(missing + " does not exist").hasMessageContaining("createRoot=true");
        assertThat(missing).doesNotExist();
        assertThat(store.stat("x")).isEmpty();

        LocalObjectStore created = LocalObjectStore.open(missing, LocalStoreSettings.DEFAULTS);
        assertThat(missing).as("opening creates nothing, not even for a target").doesNotExist();
        assertFailsWith(ErrorKind.NOT_FOUND, "list of a missing root with createRoot", () -> created.list(""));
        put(created, "x", "1");
        assertThat(missing).as("the first write creates the root").isDirectory();
        assertThat(keys(created, "")).containsExactly("x");
    }

    @Test
    void listRefusesUnsafePrefixes() {
        LocalObjectStore store = store(tmp);
        assertFailsWith(ErrorKind.USER_DATA, "list of ../", () -> store.list("../").close());
        assertFailsWith(ErrorKind.USER_DATA, "list of a//b", () -> store.list("a//b").close());
    }

    @Test
    void rangesAreReadByteByByteToo() throws IOException {
        LocalObjectStore store = store(tmp);
        put(store, "r", "0123456789");
        try (InputStream in = store.open("r", new ByteRange(3, 4))) {
            StringBuilder read = new StringBuilder();
            for (int b = in.read(); b >= 0; b = in.read()) {
                read.append((char) b);
            }
            assertThat(read).hasToString("3456");
        }
    }

    @Test
    void featuresUriAndFreeSpaceDescribeTheDirectory() {
        LocalObjectStore store = store(tmp);
        assertThat(store.uri()).isEqualTo("local:" + tmp.toAbsolutePath().normalize());
        assertThat(store.features().atomicPut()).isFalse();
        assertThat(store.features().keepsModTime()).isTrue();
        assertThat(store.features().keepsPosixMode()).isTrue();
        assertThat(store.features().hashes()).isEmpty();
        assertThat(store.freeSpace()).get().asInstanceOf(InstanceOfAssertFactories.LONG)
                .isPositive();
        assertThat(store(tmp.resolve("missing/deeper")).freeSpace()).isPresent();
    }

    @Test
    void putReturnsTheSha256OfWhatItWroteSparseOrDenseAndSmallOrLarge() throws Exception {
        byte[] block = new byte[LocalSparse.BLOCK];
        java.util.Arrays.fill(block, (byte) 7);
        // data, a hole-sized run of zeros, data, and a zero tail: the digest covers the holes as zeros
        byte[] mixed = new byte[4 * LocalSparse.BLOCK + 123];
        System.arraycopy(block, 0, mixed, 0, block.length);
        System.arraycopy(block, 0, mixed, 2 * LocalSparse.BLOCK, block.length);
        for (byte[] content : List.of(new byte[0], "x".getBytes(StandardCharsets.UTF_8), block, mixed)) {
            for (boolean sparse : List.of(true, false)) {
                Path root = tmp.resolve("r" + content.length + sparse);
                LocalObjectStore store = LocalObjectStore.open(root,
                        new LocalStoreSettings(true, false, true, false, sparse));
                ObjectInfo written = store.put("d/f", new ByteArrayInputStream(content),
                        PutRequest.ofSize(content.length));
                String expected = java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(root.resolve("d/f"))));
                assertThat(written.hash(dev.caravan.api.store.HashType.SHA256)).as("%d bytes, sparse %s",
                        content.length, sparse).contains(expected);
                assertThat(Files.readAllBytes(root.resolve("d/f"))).isEqualTo(content);
                assertThat(written.size()).isEqualTo(content.length);
                // what stat and list report has no digest: the store keeps none
                assertThat(store.stat("d/f").orElseThrow().hashes()).isEmpty();
            }
        }
    }

    @Test
    void smallAndRangedReadsReturnExactlyTheirBytes() throws IOException {
        LocalObjectStore store = store(tmp);
        file(tmp.resolve("small"), "0123456789");
        assertThat(read(store, "small", ByteRange.ALL)).asString(StandardCharsets.UTF_8).isEqualTo("0123456789");
        assertThat(read(store, "small", new ByteRange(3, 4))).asString(StandardCharsets.UTF_8).isEqualTo("3456");
        assertThat(read(store, "small", new ByteRange(8, -1))).asString(StandardCharsets.UTF_8).isEqualTo("89");
        file(tmp.resolve("empty"), "");
        assertThat(read(store, "empty", ByteRange.ALL)).isEmpty();
    }
}
