package dev.caravan.testkit.contract;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.sorted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.FileTreeClashException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.Rename;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link ObjectStore} must have, as one JUnit 5 suite: the read tests of
 * {@link ObjectStoreReadContract} plus puts of unknown size, overwrites, deletes, kept times and modes, the
 * {@link Rename} capability, the write probe and concurrent writers. Every test reads the bytes back and compares
 * them; a put's return value is never trusted alone.
 *
 * <p>A connector's integration test ({@code *IT}, run by Failsafe against a real backend on loopback) extends this
 * class and implements {@link #newStore()}:
 *
 * <pre>{@code
 * class LocalObjectStoreIT extends ObjectStoreContract {
 *     @TempDir Path dir;
 *     protected ObjectStore newStore() { return new LocalStoreProvider().open(dir.toString(), config); }
 * }
 * }</pre>
 *
 * <p>Nothing is skipped: where a store says it lacks a feature or capability, the test checks the named
 * fallback instead (a put that asks for a modification time still succeeds; no Rename means atomic puts).
 * Read-only stores extend {@link ObjectStoreReadContract}.
 */
public abstract class ObjectStoreContract extends ObjectStoreReadContract {

    private static final Instant SAMPLE_TIME = Instant.parse("2021-03-04T05:06:07.123456Z");

    @Test
    void putWithUnknownSizeStreamsToTheEnd() {
        byte[] data = randomBytes(300 * KIB + 7, 11);
        ObjectInfo info = store().put("unknown/size", new ByteArrayInputStream(data), PutRequest.ofSize(-1));
        assertThat(info.size()).as("size returned by a put of unknown size").isEqualTo(data.length);
        assertThat(store().stat("unknown/size")).map(ObjectInfo::size).contains((long) data.length);
        assertSameBytes(read("unknown/size", ByteRange.ALL), data, "unknown/size");
    }

    @Test
    void putReadsTheStreamToItsEndAndLeavesItOpen() throws Exception {
        ContractSupport.CloseTracking in = new ContractSupport.CloseTracking(
                new ByteArrayInputStream(randomBytes(10 * KIB, 12)));
        store().put("stream", in, PutRequest.ofSize(10 * KIB));
        assertThat(in.closed()).as("put must not close the caller's stream").isFalse();
        assertThat(in.read()).as("put must read the stream to its end").isEqualTo(-1);
    }

    @Test
    void overwriteReplacesContent() {
        write("over/write", randomBytes(100 * KIB, 13));
        byte[] shorter = randomBytes(10, 14);
        write("over/write", shorter);
        assertSameBytes(read("over/write", ByteRange.ALL), shorter, "over/write");
        assertThat(store().stat("over/write")).map(ObjectInfo::size).contains(10L);
        assertThat(keys("")).containsExactly("over/write");
    }

    @Test
    void deleteRemovesTheObject() {
        write("del/a/b", new byte[] {1});
        write("del/keep", new byte[] {2});
        store().delete("del/a/b");
        assertThat(store().stat("del/a/b")).isEmpty();
        assertFailsWith(ErrorKind.NOT_FOUND, "open after delete", () -> store().open("del/a/b", ByteRange.ALL));
        assertThat(keys("")).containsExactly("del/keep");
        assertSameBytes(read("del/keep", ByteRange.ALL), new byte[] {2}, "del/keep");
    }

    @Test
    void deleteOfMissingKeyIsFine() {
        store().delete("never/was");
        store().delete("never");
        write("x", new byte[] {1});
        store().delete("x");
        store().delete("x");
        assertThat(keys("")).isEmpty();
    }

    @Test
    void keepsModificationTime() {
        if (!store().features().keepsModTime()) {
            acceptsWithoutKeeping(new PutRequest(3, SAMPLE_TIME, null, Map.of(), -1));
            return;
        }
        Duration precision = store().features().modTimePrecision();
        byte[] data = randomBytes(100, 15);
        ObjectInfo put = store().put("timed", new ByteArrayInputStream(data),
                new PutRequest(data.length, SAMPLE_TIME, null, Map.of(), -1));
        assertThat(put.modTime()).as("time returned by put").isNotNull();
        Instant stored = store().stat("timed").orElseThrow().modTime();
        assertThat(Duration.between(SAMPLE_TIME, stored).abs()).as("stored time %s vs %s", stored, SAMPLE_TIME)
                .isLessThanOrEqualTo(precision);
        assertSameBytes(read("timed", ByteRange.ALL), data, "timed");
    }

    @Test
    void keepsPosixMode() {
        if (!store().features().keepsPosixMode()) {
            acceptsWithoutKeeping(new PutRequest(3, null, null, Map.of(), 0640));
            return;
        }
        for (int mode : new int[] {0640, 0755, 0600}) {
            String key = "mode/" + Integer.toOctalString(mode);
            store().put(key, new ByteArrayInputStream(new byte[] {1}), new PutRequest(1, null, null, Map.of(), mode));
            assertThat(store().stat(key).orElseThrow().posixMode()).as("mode of %s", key).isEqualTo(mode);
        }
    }

    @Test
    void renameReplacesTheTargetAndRemovesTheSource() {
        Rename rename = store().capability(Rename.class).orElse(null);
        if (rename == null) {
            assertThat(store().features().atomicPut())
                    .as("a store without Rename must have atomic puts (the pipeline's fallback)").isTrue();
            return;
        }
        byte[] fresh = randomBytes(70 * KIB, 16);
        write("tmp/final.part", fresh);
        write("final", randomBytes(5, 17));
        rename.rename("tmp/final.part", "final");
        assertThat(store().stat("tmp/final.part")).isEmpty();
        assertSameBytes(read("final", ByteRange.ALL), fresh, "renamed final");
        assertThat(keys("")).containsExactly("final");

        rename.rename("final", "new/deep/dir/moved");
        assertThat(keys("")).containsExactly("new/deep/dir/moved");
        assertSameBytes(read("new/deep/dir/moved", ByteRange.ALL), fresh, "moved");

        assertFailsWith(ErrorKind.NOT_FOUND, "rename of a missing object", () -> rename.rename("missing", "x"));
        assertFailsWith(ErrorKind.USER_DATA, "rename from ../x", () -> rename.rename("../x", "y"));
        assertFailsWith(ErrorKind.USER_DATA, "rename to ../x", () -> rename.rename("new/deep/dir/moved", "../x"));
        assertThat(keys("")).containsExactly("new/deep/dir/moved");
        assertNothingWrittenOutside();
    }

    /**
     * Whether this store, an object store ({@link ObjectStore#isFileTree} false), can be shown to hold {@code a} beside
     * {@code a/b}: true by default; false where the test server cannot (S3Proxy's file-system backend), though the
     * service can.
     */
    protected boolean holdsAFileAndAFolderOfOneName() {
        return true;
    }

    @Test
    void aFileAndAFolderOfOneNameAreBothHeldOrRefusedAsAFileTreeClash() {
        byte[] file = randomBytes(100, 21);
        byte[] under = randomBytes(200, 22);
        write("name", file);
        write("dir/x", under);
        if (!store().isFileTree()) {
            if (holdsAFileAndAFolderOfOneName()) {
                write("name/under", under);
                write("dir", file);
                assertThat(keys("")).containsExactly("dir", "dir/x", "name", "name/under");
                assertSameBytes(read("name/under", ByteRange.ALL), under, "name/under");
                assertSameBytes(read("dir", ByteRange.ALL), file, "dir");
            }
            return;
        }
        // a file system: the write fails with the clash, which a sync waits on (the engine knows it by its class)
        assertThatThrownBy(() -> write("name/under", under)).as("a file where a folder must be")
                .isInstanceOf(FileTreeClashException.class);
        assertThatThrownBy(() -> write("dir", file)).as("a folder where a file must be")
                .isInstanceOf(FileTreeClashException.class);
        store().capability(Rename.class).ifPresent(rename -> {
            write("moving", file);
            assertThatThrownBy(() -> rename.rename("moving", "dir")).as("a rename onto a folder")
                    .isInstanceOf(FileTreeClashException.class);
            store().delete("moving");
        });
        assertThat(keys("")).containsExactly("dir/x", "name");
        assertSameBytes(read("name", ByteRange.ALL), file, "name");
        assertSameBytes(read("dir/x", ByteRange.ALL), under, "dir/x");
    }

    @Test
    void probeWriteLeavesNothingBehind() {
        store().probeWrite(".caravan-probe");
        store().probeWrite("probe/dir/.caravan-probe");
        assertThat(keys("")).isEmpty();
        assertThat(store().stat(".caravan-probe")).isEmpty();
    }

    @Test
    @Timeout(120)
    void concurrentPutsToDifferentKeysAllArriveIntact() throws Exception {
        int threads = 8;
        int perThread = 12;
        Map<String, byte[]> expected = new ConcurrentHashMap<>();
        runConcurrently(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                String key = i % 2 == 0 ? "concurrent/shared/t" + thread + "-" + i
                        : "concurrent/t" + thread + "/deep/o" + i;
                byte[] data = randomBytes(1 + (thread * 7919 + i * 104_729) % (200 * KIB), thread * 100L + i);
                expected.put(key, data);
                write(key, data);
            }
        });
        assertThat(keys("concurrent/")).containsExactlyElementsOf(sorted(expected.keySet()));
        expected.forEach((key, data) -> assertSameBytes(read(key, ByteRange.ALL), data, key));
    }

    /** A delete that tidies up empty directories must not break a put into the same directory. */
    @Test
    @Timeout(120)
    void concurrentPutsAndDeletesInOneDirectory() throws Exception {
        int rounds = 150;
        runConcurrently(2, thread -> {
            for (int i = 0; i < rounds; i++) {
                String key = "race/dir/t" + thread + "-" + i;
                write(key, new byte[] {(byte) thread, (byte) i});
                if (thread == 0) {
                    store().delete(key);
                }
            }
        });
        List<String> survivors = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            survivors.add("race/dir/t1-" + i);
        }
        assertThat(keys("race/")).containsExactlyElementsOf(sorted(survivors));
        for (int i = 0; i < rounds; i++) {
            assertSameBytes(read("race/dir/t1-" + i, ByteRange.ALL), new byte[] {1, (byte) i}, "t1-" + i);
        }
    }

    /** One writer thread's work; {@code thread} counts from 0. */
    @FunctionalInterface
    protected interface Worker {
        void run(int thread) throws Exception;
    }

    /** Runs {@code worker} on {@code threads} threads released at once and rethrows the first failure. */
    protected static void runConcurrently(int threads, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    worker.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<Void> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A store without a feature still accepts a put that asks for it, and stores the bytes. */
    private void acceptsWithoutKeeping(PutRequest request) {
        byte[] data = {7, 8, 9};
        store().put("unkept", new ByteArrayInputStream(data), request);
        assertSameBytes(read("unkept", ByteRange.ALL), data, "unkept");
    }

    /** This contract is for writable stores; read-only stores run {@link ObjectStoreReadContract}. */
    @Override
    protected final boolean readOnly() {
        return false;
    }
}
