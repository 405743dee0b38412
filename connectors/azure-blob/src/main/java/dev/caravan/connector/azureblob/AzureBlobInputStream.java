package dev.caravan.connector.azureblob;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobDownloadResponse;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;

/**
 * Reads a blob (or a range of it) as consecutive ranged GETs of at most {@link #CHUNK} bytes, so a stream of any size
 * holds one chunk in memory. The first GET happens when the stream is opened (a missing blob fails there with
 * NOT_FOUND); later ones are pinned to the first one's ETag, so a blob replaced while it is read fails with
 * TRANSIENT instead of mixing two versions. A range starting at or beyond the end reads as empty. Not thread-safe.
 */
final class AzureBlobInputStream extends InputStream {
    /** Bytes per GET. */
    static final int CHUNK = 4 << 20;

    private final AzureBlobObjectStore store;
    private final BlobClient blob;
    private final String key;
    private final int chunkSize;
    private long position;
    /** End of the requested range (exclusive), known after the first GET. */
    private long end;
    private String etag;
    private Buffer chunk = new Buffer(0);
    private int offset;
    private boolean closed;

    private AzureBlobInputStream(AzureBlobObjectStore store, BlobClient blob, String key, ByteRange range,
            int chunkSize) {
        this.store = store;
        this.blob = blob;
        this.key = key;
        this.chunkSize = chunkSize;
        this.position = range.offset();
        this.end = range.length() < 0 ? Long.MAX_VALUE : range.offset() + range.length();
    }

    /** Opens the stream and fetches the first chunk. */
    static InputStream open(AzureBlobObjectStore store, BlobClient blob, String key, ByteRange range, int chunkSize) {
        AzureBlobInputStream in = new AzureBlobInputStream(store, blob, key, range, chunkSize);
        if (range.length() == 0) {
            if (store.stat(key).isEmpty()) {
                throw MigrationException.notFound("no object '" + key + "' in " + store.uri());
            }
            return InputStream.nullInputStream();
        }
        in.fetch();
        return in;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (closed) {
            throw new MigrationException(ErrorKind.FATAL, "reading '" + key + "' after its stream was closed");
        }
        if (len == 0) {
            return 0;
        }
        if (offset >= chunk.size()) {
            if (position >= end) {
                return -1;
            }
            fetch();
            if (offset >= chunk.size()) {
                return -1;
            }
        }
        int n = Math.min(len, chunk.size() - offset);
        System.arraycopy(chunk.bytes(), offset, b, off, n);
        offset += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long buffered = Math.min(Math.max(0, n), chunk.size() - offset);
        offset += (int) buffered;
        long more = Math.min(n - buffered, end - position);
        if (more > 0) {
            position += more; // the next fetch starts after the skipped bytes
        }
        return buffered + Math.max(0, more);
    }

    @Override
    public int available() {
        return chunk.size() - offset;
    }

    @Override
    public void close() {
        closed = true;
        chunk = new Buffer(0);
    }

    private void fetch() {
        long count = Math.min(chunkSize, end - position);
        BlobRange range = new BlobRange(position, count);
        BlobRequestConditions conditions = etag == null ? null : new BlobRequestConditions().setIfMatch(etag);
        Buffer out = new Buffer((int) Math.min(count, etag == null ? 64 * 1024 : count));
        BlobDownloadResponse response;
        try {
            response = blob.downloadStreamWithResponse(out, range, null, conditions, false, null, null);
        } catch (RuntimeException e) {
            if (AzureBlobErrors.isInvalidRange(e)) {
                end = position; // at or beyond the end: nothing (more) to read
                chunk = new Buffer(0);
                offset = 0;
                return;
            }
            if (store.createsContainer(e)) {
                throw MigrationException.notFound("no object '" + key + "' in " + store.uri()
                        + " (the container does not exist yet)");
            }
            throw store.errors().translate(e, "reading '" + key + "'");
        }
        if (etag == null) {
            etag = response.getDeserializedHeaders().getETag();
            long total = totalSize(response.getDeserializedHeaders().getContentRange());
            if (total >= 0) {
                end = Math.min(end, total);
            }
        }
        chunk = out;
        offset = 0;
        position += out.size();
        if (out.size() == 0) {
            end = position;
        }
    }

    /** The blob's size from a Content-Range of the form {@code bytes 0-99/1000}, or -1. */
    static long totalSize(String contentRange) {
        if (contentRange == null) {
            return -1;
        }
        int slash = contentRange.lastIndexOf('/');
        try {
            return slash < 0 ? -1 : Long.parseLong(contentRange.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A byte array output stream whose array can be read without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(Math.max(0, size));
        }

        byte[] bytes() {
            return buf;
        }
    }
}
