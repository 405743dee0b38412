package dev.caravan.connector.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The read-ahead that overlaps a volume's download, hashing and upload: same bytes, same failures, clean stop. */
class ReadAheadTest {
    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** A source that hands out at most 7 bytes per read, like a libvirt stream handing out packets. */
    private static InputStream dribbling(byte[] b) {
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(len, 7));
            }
        };
    }

    @Test
    void givesTheSameBytesInOrderWhateverTheChunkBoundaries() throws IOException {
        for (int size : new int[] {0, 1, 63, 64, 65, 1000, 4096 + 3}) {
            byte[] in = data(size);
            try (ReadAhead r = new ReadAhead(dribbling(in), 64, 3, true, "t")) {
                assertThat(r.readAllBytes()).as("size %d", size).isEqualTo(in);
                assertThat(r.read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void chunksAreFullExceptTheLast() throws IOException {
        byte[] in = data(200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ReadAhead r = new ReadAhead(dribbling(in), 64, 2, false, "t")) {
            for (ByteBuffer c = r.next(); c != null; c = r.next()) {
                assertThat(c.remaining()).isEqualTo(out.size() < 192 ? 64 : 8);
                out.write(c.array(), c.position(), c.remaining());
            }
            assertThat(r.next()).isNull();
        }
        assertThat(out.toByteArray()).isEqualTo(in);
    }

    @Test
    void aFailureOfTheSourceComesAfterTheBytesReadBeforeItAndKeepsItsKind() throws IOException {
        byte[] in = data(100);
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(in)) {
            private int served;

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (served >= 64) {
                    throw MigrationException.transientError("source went away", null);
                }
                int n = super.read(buf, off, Math.min(len, 64 - served));
                served += n;
                return n;
            }
        };
        try (ReadAhead r = new ReadAhead(failing, 32, 4, true, "t")) {
            byte[] first = r.readNBytes(64);
            assertThat(first).isEqualTo(java.util.Arrays.copyOf(in, 64));
            assertThatThrownBy(r::read).isInstanceOfSatisfying(MigrationException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
        }
        InputStream io = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk error");
            }
        };
        try (ReadAhead r = new ReadAhead(io, 32, 2, true, "t")) {
            assertThatThrownBy(r::read).isInstanceOf(IOException.class).hasMessageContaining("disk error");
        }
    }

    @Test
    void closingEarlyStopsTheReaderAndClosesOnlyAnOwnedSource() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 1;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        ReadAhead notOwned = new ReadAhead(endless, 16, 2, false, "t");
        assertThat(notOwned.read()).isEqualTo(1);
        notOwned.close();
        assertThat(closed).isFalse();

        ReadAhead owned = new ReadAhead(endless, 16, 2, true, "t");
        assertThat(owned.readNBytes(40)).hasSize(40);
        owned.close();
        assertThat(closed).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("t") && t.isAlive());
    }
}
