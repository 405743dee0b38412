package dev.caravan.camel.objects;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.StoreFeatures;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A message body seen as a read-only store holding one object, so that {@code put} is a copy from the body through
 * core's copy pipeline (temporary name, verification, rename, multipart) rather than a second pipeline. Bytes and
 * files can be read as often as needed, in ranges; a stream can be read once, from its start.
 */
final class BodySource implements ObjectStore {
    /** The location of every body: constant, so the temporary name of a put depends on its key only. */
    static final String URI = "camel:body";

    private final ObjectInfo info;
    private final byte[] bytes;
    private final Path file;
    private final InputStream stream;
    private final AtomicBoolean streamTaken = new AtomicBoolean();

    private BodySource(String key, long size, byte[] bytes, Path file, InputStream stream) {
        this.info = ObjectInfo.of(key, size, null);
        this.bytes = bytes;
        this.file = file;
        this.stream = stream;
    }

    static BodySource ofBytes(String key, byte[] bytes) {
        return new BodySource(key, bytes.length, bytes, null, null);
    }

    static BodySource ofFile(String key, Path file) {
        try {
            return new BodySource(key, Files.size(file), null, file, null);
        } catch (IOException e) {
            throw MigrationException.userData("put: cannot read the body file " + file + ": " + e.getMessage());
        }
    }

    /** A stream of unknown size (-1): written in one piece, never as multipart. */
    static BodySource ofStream(String key, InputStream stream) {
        return new BodySource(key, -1, null, null, stream);
    }

    @Override
    public String uri() {
        return URI;
    }

    @Override
    public StoreFeatures features() {
        return new StoreFeatures(Set.of(), null, false, false, true, false);
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        return info.key().startsWith(prefix) ? Stream.of(info) : Stream.empty();
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return info.key().equals(key) ? Optional.of(info) : Optional.empty();
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        if (!info.key().equals(key)) {
            throw MigrationException.notFound("the body holds '" + info.key() + "', not '" + key + "'");
        }
        if (bytes != null) {
            int from = (int) Math.min(range.offset(), bytes.length);
            int to = range.length() < 0 ? bytes.length : (int) Math.min(bytes.length, from + range.length());
            return new ByteArrayInputStream(Arrays.copyOfRange(bytes, from, to));
        }
        if (file != null) {
            return slice(file, range);
        }
        if (range.offset() != 0 || range.length() >= 0 || !streamTaken.compareAndSet(false, true)) {
            throw new MigrationException(ErrorKind.UNSUPPORTED, "the body stream of '" + key + "' can be read only"
                    + " once, from its start");
        }
        return stream;
    }

    private static InputStream slice(Path file, ByteRange range) {
        try {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(range.offset());
            return range.length() < 0 ? in : new Limited(in, range.length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        throw new MigrationException(ErrorKind.UNSUPPORTED, "a message body is read-only");
    }

    @Override
    public void delete(String key) {
        throw new MigrationException(ErrorKind.UNSUPPORTED, "a message body is read-only");
    }

    @Override
    public void close() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // the body was read (or not); nothing to do about a failing close
            }
        }
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class Limited extends FilterInputStream {
        private long remaining;

        Limited(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buf, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }
    }
}
