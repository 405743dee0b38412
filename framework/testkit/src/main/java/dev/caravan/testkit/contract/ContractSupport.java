package dev.caravan.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Small helpers shared by the contract suites and by connector tests: deterministic random data, reading an
 * object back, listing keys and asserting the {@link ErrorKind} of a failure. Stateless.
 */
public final class ContractSupport {

    private ContractSupport() {
    }

    /** {@code size} pseudo-random bytes; the same seed always gives the same bytes. */
    public static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) random.nextInt(256);
        }
        return data;
    }

    /** Reads an object (or a range of it) fully and closes the stream. */
    public static byte[] read(ObjectStore store, String key, ByteRange range) {
        try (InputStream in = store.open(key, range)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " " + range, e);
        }
    }

    /** The keys that {@link ObjectStore#list} returns for a prefix, in the order it returns them. */
    public static List<String> keys(ObjectStore store, String prefix) {
        try (Stream<ObjectInfo> listing = store.list(prefix)) {
            return listing.map(ObjectInfo::key).toList();
        }
    }

    /** A copy of {@code keys} sorted by {@link ObjectKeys#ORDER}, the order every listing must have. */
    public static List<String> sorted(Collection<String> keys) {
        List<String> copy = new ArrayList<>(keys);
        copy.sort(ObjectKeys.ORDER);
        return copy;
    }

    /**
     * Compares two byte arrays and, when they differ, reports the first differing offset instead of printing
     * megabytes of bytes.
     */
    public static void assertSameBytes(byte[] actual, byte[] expected, String what) {
        assertThat(actual.length).as("%s: number of bytes", what).isEqualTo(expected.length);
        try {
            assertSameBytes(new ByteArrayInputStream(actual), expected, what);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by a byte array
        }
    }

    /**
     * Like {@link #assertSameBytes(byte[], byte[], String)} for bytes read from a stream (read to its end, a
     * mebibyte at a time, not kept): an object read back from a server costs no heap of its size.
     */
    public static void assertSameBytes(InputStream actual, byte[] expected, String what) throws IOException {
        byte[] chunk = new byte[1 << 20];
        long offset = 0;
        for (int n; (n = actual.readNBytes(chunk, 0, chunk.length)) > 0; offset += n) {
            int comparable = (int) Math.max(0, Math.min(n, expected.length - offset));
            int differs = Arrays.mismatch(chunk, 0, comparable, expected, (int) offset,
                    (int) offset + comparable);
            if (differs >= 0) {
                long at = offset + differs;
                throw new AssertionError(what + ": bytes differ first at offset " + at + " (expected "
                        + expected[(int) at] + ", got " + chunk[differs] + ")");
            }
            if (comparable < n) {
                offset += n;
                break; // more bytes than expected: counted below
            }
        }
        offset += actual.transferTo(OutputStream.nullOutputStream());
        assertThat(offset).as("%s: number of bytes", what).isEqualTo(expected.length);
    }

    /** Asserts that {@code call} fails with a {@link MigrationException} of {@code kind} and returns it. */
    public static MigrationException assertFailsWith(ErrorKind kind, String what, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("%s should fail with a MigrationException of kind %s", what, kind)
                .isInstanceOf(MigrationException.class);
        MigrationException failure = (MigrationException) thrown;
        assertThat(failure.kind()).as("%s: kind of '%s'", what, failure.getMessage()).isEqualTo(kind);
        return failure;
    }

    /** An input stream that remembers whether it was closed. */
    public static final class CloseTracking extends FilterInputStream {
        private volatile boolean closed;

        public CloseTracking(InputStream in) {
            super(in);
        }

        public boolean closed() {
            return closed;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }
}
