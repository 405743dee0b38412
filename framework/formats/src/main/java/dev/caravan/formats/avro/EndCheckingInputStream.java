package dev.caravan.formats.avro;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Lets the Avro reader tell a complete file from a truncated one. Avro's {@code DataFileStream} treats an end of
 * input in the middle of a block as the normal end, which would silently drop the records of that block. Every
 * complete container file ends with its 16-byte sync marker (after the header, and after each block), so this
 * stream keeps the first bytes (to read the marker from the header) and the last 16 bytes read.
 */
final class EndCheckingInputStream extends FilterInputStream {
    private static final int SYNC = 16;
    private static final int MAX_HEADER = 4 * 1024 * 1024;

    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final byte[] tail = new byte[SYNC];
    private long count;

    EndCheckingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            record(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            record(b, off, n);
        }
        return n;
    }

    private void record(byte[] b, int off, int n) {
        if (head.size() < MAX_HEADER) {
            head.write(b, off, Math.min(n, MAX_HEADER - head.size()));
        }
        if (n >= SYNC) {
            System.arraycopy(b, off + n - SYNC, tail, 0, SYNC);
        } else {
            System.arraycopy(tail, n, tail, 0, SYNC - n);
            System.arraycopy(b, off, tail, SYNC - n, n);
        }
        count += n;
    }

    /**
     * Whether the bytes read so far end with the header's sync marker; {@code true} when it cannot be told (a
     * header larger than the kept prefix).
     */
    boolean endsWithSync() {
        byte[] sync = headerSync();
        return sync == null || count >= SYNC && Arrays.equals(sync, tail);
    }

    private byte[] headerSync() {
        try {
            byte[] bytes = head.toByteArray();
            BinaryDecoder d = DecoderFactory.get().binaryDecoder(bytes, 4, bytes.length - 4, null);
            for (long n = d.readMapStart(); n != 0; n = d.mapNext()) {
                for (long i = 0; i < n; i++) {
                    d.skipString();
                    d.skipBytes();
                }
            }
            byte[] sync = new byte[SYNC];
            d.readFixed(sync);
            return sync;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
