package dev.caravan.testkit.contract;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.sorted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.Rename;
import dev.caravan.api.store.StoreFeatures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read half of the {@link ObjectStoreContract}: round trips, byte ranges, listing order and prefixes, missing
 * and hostile keys. It holds the hooks and the per-test store; connectors extend {@link ObjectStoreContract}.
 * A read-only store (HTTP) overrides {@link #readOnly()} to return true and {@link #seed} to place objects in
 * its backend by other means; the write tests of {@link ObjectStoreContract} are then skipped.
 */
public abstract class ObjectStoreReadContract {

    /** One kibibyte. */
    protected static final int KIB = 1024;

    /** Keys that every store must refuse with {@link ErrorKind#USER_DATA}. */
    protected static final List<String> HOSTILE_KEYS = List.of("../x", "/abs", "a/../../b", "a//b", "", "./a",
            "a/./b", "a/..", "dir/", "..", "nul\0byte");

    private ObjectStore store;

    /**
     * Opens a fresh, empty store for one test (typically on a new temporary directory, bucket prefix or
     * container). It is closed after the test.
     */
    protected abstract ObjectStore newStore();

    /** Whether the store cannot write; then only the read part of the suite runs, on {@link #seed seeded} data. */
    protected boolean readOnly() {
        return false;
    }

    /**
     * Places an object in the store under test. Default: {@link ObjectStore#put}. Read-only stores must override
     * it to write into their backend directly (e.g. the directory an HTTP server serves).
     */
    protected void seed(String key, byte[] data) {
        store.put(key, new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
    }

    /**
     * Called after hostile keys were refused: a connector that can look at its backend from outside the root
     * (a local directory, a bucket) checks here that nothing was written there. Default: nothing.
     */
    protected void assertNothingWrittenOutside() {
    }

    /**
     * Whether keys may hold a backslash, an ordinary character on S3 and POSIX file systems (default). A store that
     * cannot keep it as it is (Azure Blob turns it into {@code /}) returns false and must refuse such keys.
     */
    protected boolean holdsBackslashes() {
        return true;
    }

    /** The store of the running test. */
    protected final ObjectStore store() {
        return store;
    }

    @BeforeEach
    final void openStore() {
        store = newStore();
        assertThat(ContractSupport.keys(store, "")).as("newStore() must return an empty store").isEmpty();
    }

    @AfterEach
    final void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Writes through {@link ObjectStore#put} (checking what it returns) or, for read-only stores, seeds. */
    protected final void write(String key, byte[] data) {
        if (readOnly()) {
            seed(key, data);
            return;
        }
        ObjectInfo info = store.put(key, new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
        assertThat(info.key()).as("key returned by put(%s)", key).isEqualTo(key);
        assertThat(info.size()).as("size returned by put(%s)", key).isEqualTo(data.length);
    }

    @Test
    void roundTripOfSeveralSizes() {
        for (int size : new int[] {0, 1, 64 * KIB, 5 * KIB * KIB}) {
            String key = "sizes/object-" + size + ".bin";
            byte[] data = randomBytes(size, size);
            write(key, data);
            ObjectInfo info = store.stat(key).orElseThrow(() -> new AssertionError("stat found no " + key));
            assertThat(info.key()).isEqualTo(key);
            assertThat(info.size()).as("size of %s", key).isEqualTo(size);
            assertSameBytes(read(key, ByteRange.ALL), data, key);
        }
        assertThat(keys("sizes/")).hasSize(4);
    }

    @Test
    void byteRanges() {
        byte[] data = randomBytes(1000, 7);
        write("ranges/small", data);
        assertRange("ranges/small", data, ByteRange.ALL, 0, 1000);
        assertRange("ranges/small", data, ByteRange.from(100), 100, 1000);
        assertRange("ranges/small", data, new ByteRange(100, 50), 100, 150);
        assertRange("ranges/small", data, new ByteRange(0, 0), 0, 0);
        assertRange("ranges/small", data, new ByteRange(999, 1), 999, 1000);
        assertRange("ranges/small", data, new ByteRange(990, 100), 990, 1000);
        assertRange("ranges/small", data, ByteRange.from(1000), 1000, 1000);
        assertRange("ranges/small", data, new ByteRange(1000, 10), 1000, 1000);
        assertRange("ranges/small", data, ByteRange.from(5000), 1000, 1000);

        byte[] large = randomBytes(3 * KIB * KIB, 8);
        write("ranges/large", large);
        assertRange("ranges/large", large, new ByteRange(2 * KIB * KIB + 3, 100 * KIB), 2 * KIB * KIB + 3,
                2 * KIB * KIB + 3 + 100 * KIB);
        assertRange("ranges/large", large, ByteRange.from(KIB * KIB - 1), KIB * KIB - 1, large.length);
    }

    private void assertRange(String key, byte[] data, ByteRange range, int from, int to) {
        byte[] expected = Arrays.copyOfRange(data, from, to);
        assertSameBytes(read(key, range), expected, key + " range " + range);
    }

    @Test
    void listIsSortedRecursiveAndHasNoDirectories() {
        List<String> keys = new ArrayList<>(List.of("b.txt", "a/b/c/d.txt", "a/b.txt", "c", "a/a", "b/x/y",
                "a/b/c/e", "0"));
        Collections.shuffle(keys, new Random(42));
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String key : keys) {
            byte[] data = randomBytes(key.length() * 10, key.hashCode());
            write(key, data);
            sizes.put(key, (long) data.length);
        }
        try (Stream<ObjectInfo> listing = store.list("")) {
            List<ObjectInfo> infos = listing.toList();
            assertThat(infos).extracting(ObjectInfo::key).containsExactlyElementsOf(sorted(keys));
            for (ObjectInfo info : infos) {
                assertThat(info.size()).as("listed size of %s", info.key()).isEqualTo(sizes.get(info.key()));
            }
        }
    }

    @Test
    void directoriesAreNotObjects() {
        write("dir/sub/file", new byte[] {1, 2, 3});
        for (String dir : List.of("dir", "dir/sub")) {
            assertThat(store.stat(dir)).as("stat of directory %s", dir).isEmpty();
            assertFailsWith(ErrorKind.NOT_FOUND, "open of directory " + dir, () -> store.open(dir, ByteRange.ALL));
        }
        assertThat(keys("")).containsExactly("dir/sub/file");
    }

    @Test
    void listFiltersByPrefix() {
        for (String key : List.of("dir/a", "dir/b/c", "dir2/x", "dirt", "di", "other/dir/z")) {
            write(key, key.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(keys("dir/")).containsExactly("dir/a", "dir/b/c");
        assertThat(keys("dir")).containsExactly("dir/a", "dir/b/c", "dir2/x", "dirt");
        assertThat(keys("dir/b")).containsExactly("dir/b/c");
        assertThat(keys("dir/b/")).containsExactly("dir/b/c");
        assertThat(keys("di")).containsExactly("di", "dir/a", "dir/b/c", "dir2/x", "dirt");
        assertThat(keys("dirt")).containsExactly("dirt");
        assertThat(keys("other/")).containsExactly("other/dir/z");
        assertThat(keys("nothing/")).isEmpty();
        assertThat(keys("nothing")).isEmpty();
        assertThat(keys("dir/a/")).isEmpty();
    }

    @Test
    void listIsLazyAndCloseable() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keys.add(String.format("lazy/k%02d", i));
            write(keys.get(i), new byte[] {(byte) i});
        }
        try (Stream<ObjectInfo> listing = store.list("lazy/")) {
            assertThat(listing.limit(3).map(ObjectInfo::key)).containsExactly("lazy/k00", "lazy/k01", "lazy/k02");
        }
        Stream<ObjectInfo> partly = store.list("");
        assertThat(partly.iterator().next().key()).isEqualTo("lazy/k00");
        partly.close();
        partly.close();
        assertThat(keys("")).containsExactlyElementsOf(keys);
    }

    @Test
    void trickyKeysSortByCodePoint() {
        List<String> keys = new ArrayList<>(List.of("a.txt", "a/b", "a-b", "ab", "a b", "a+b", "a%20b", "a%2Fb",
                "dir with space/file name", "~tilde", "_under", "\u00e9t\u00e9.txt", "\uD83D\uDE00.bin",
                "\uFF21-fullwidth", "deep/1/2/3/4/5/6/7/8/9/10/leaf", "l".repeat(200), "x".repeat(100) + "/y"));
        if (!store.features().caseInsensitive()) {
            keys.add("B-upper");
        }
        for (String key : keys) {
            write(key, key.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(keys("")).containsExactlyElementsOf(sorted(keys));
        for (String key : keys) {
            assertSameBytes(read(key, ByteRange.ALL), key.getBytes(StandardCharsets.UTF_8), key);
        }
        assertThat(keys("a")).containsExactlyElementsOf(sorted(keys.stream().filter(k -> k.startsWith("a"))
                .toList()));
    }

    @Test
    void statAgreesWithList() {
        for (String key : List.of("s/one", "s/two/three", "s4")) {
            write(key, randomBytes(key.length() * 100, 3));
        }
        try (Stream<ObjectInfo> listing = store.list("")) {
            listing.forEach(listed -> {
                ObjectInfo stat = store.stat(listed.key()).orElseThrow();
                assertThat(stat.size()).as("size of %s", listed.key()).isEqualTo(listed.size());
                assertThat(stat.modTime()).as("time of %s", listed.key()).isEqualTo(listed.modTime());
            });
        }
    }

    @Test
    void statOfMissingKeyIsEmpty() {
        write("present", new byte[] {1});
        assertThat(store.stat("missing")).isEmpty();
        assertThat(store.stat("missing/deeper/still")).isEmpty();
        assertThat(store.stat("present/child")).isEmpty();
    }

    @Test
    void openOfMissingKeyIsNotFound() {
        assertFailsWith(ErrorKind.NOT_FOUND, "open(missing)", () -> store.open("missing", ByteRange.ALL));
        assertFailsWith(ErrorKind.NOT_FOUND, "open(missing, from 10)", () -> store.open("missing/x",
                ByteRange.from(10)));
    }

    @Test
    void hostileKeysAreRefused() {
        for (String key : HOSTILE_KEYS) {
            assertFailsWith(ErrorKind.USER_DATA, "stat('" + key + "')", () -> store.stat(key));
            assertFailsWith(ErrorKind.USER_DATA, "open('" + key + "')", () -> store.open(key, ByteRange.ALL));
            if (!readOnly()) {
                assertFailsWith(ErrorKind.USER_DATA, "put('" + key + "')",
                        () -> store.put(key, new ByteArrayInputStream(new byte[] {6, 6, 6}), PutRequest.ofSize(3)));
                assertFailsWith(ErrorKind.USER_DATA, "delete('" + key + "')", () -> store.delete(key));
            }
        }
        assertThat(keys("")).isEmpty();
        assertNothingWrittenOutside();
    }

    @Test
    void aBackslashIsKeptAsItIsOrRefused() {
        List<String> keys = List.of("win\\..\\..\\escape.txt", "dir\\name/file\\name");
        if (holdsBackslashes()) {
            for (String key : keys) {
                write(key, key.getBytes(StandardCharsets.UTF_8));
            }
            assertThat(keys("")).containsExactlyElementsOf(sorted(keys));
            for (String key : keys) {
                assertSameBytes(read(key, ByteRange.ALL), key.getBytes(StandardCharsets.UTF_8), key);
            }
        } else {
            for (String key : keys) {
                assertFailsWith(ErrorKind.USER_DATA, "stat('" + key + "')", () -> store.stat(key));
                if (!readOnly()) {
                    assertFailsWith(ErrorKind.USER_DATA, "put('" + key + "')", () -> store.put(key,
                            new ByteArrayInputStream(new byte[] {6}), PutRequest.ofSize(1)));
                }
            }
            assertThat(keys("")).isEmpty();
        }
        assertNothingWrittenOutside();
    }

    @Test
    void featuresAreConsistent() {
        StoreFeatures features = store.features();
        assertThat(features).isNotNull();
        assertThat(store.uri()).isNotBlank();
        if (features.keepsModTime()) {
            assertThat(features.modTimePrecision()).as("precision of a store that keeps times").isNotNull();
        }
        if (!readOnly()) {
            assertThat(features.atomicPut() || store.capability(Rename.class).isPresent())
                    .as("a store without atomic put must offer Rename, so the pipeline can publish temporaries")
                    .isTrue();
        }
    }

    /** Reads an object or a range of it fully. */
    protected final byte[] read(String key, ByteRange range) {
        return ContractSupport.read(store, key, range);
    }

    /** The keys listed for a prefix, in listing order. */
    protected final List<String> keys(String prefix) {
        return ContractSupport.keys(store, prefix);
    }
}
