package dev.caravan.formats;

import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Named bytes that can be opened at any offset: an object of a store or a local file. Formats that need random
 * access (Parquet reads its footer first) use it instead of spooling a stream to disk; the others open it once.
 */
public interface ByteSource {
    /** A name for messages (object key, file name). */
    String name();

    /** Length in bytes, or {@code -1} when unknown. */
    long length();

    /** The bytes from {@code offset} to the end; the caller closes the stream. */
    InputStream open(long offset);

    /** An object of a store, read with ranged opens. */
    static ByteSource of(ObjectStore store, ObjectInfo object) {
        return new ByteSource() {
            @Override
            public String name() {
                return object.key();
            }

            @Override
            public long length() {
                return object.size();
            }

            @Override
            public InputStream open(long offset) {
                return store.open(object.key(), offset == 0 ? ByteRange.ALL : ByteRange.from(offset));
            }
        };
    }

    /** A local file. */
    static ByteSource of(Path file) {
        return new ByteSource() {
            @Override
            public String name() {
                return file.getFileName() == null ? file.toString() : file.getFileName().toString();
            }

            @Override
            public long length() {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public InputStream open(long offset) {
                try {
                    InputStream in = Files.newInputStream(file, StandardOpenOption.READ);
                    in.skipNBytes(offset);
                    return in;
                } catch (IOException e) {
                    throw FormatErrors.reading(e, name(), 0, 0);
                }
            }
        };
    }
}
