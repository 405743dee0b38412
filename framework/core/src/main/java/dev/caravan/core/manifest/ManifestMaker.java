package dev.caravan.core.manifest;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.OrderedParallel;
import dev.caravan.core.hash.HashingInputStream;
import dev.caravan.core.hash.StoredSha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Writes the manifest of a store: lists it (a stream, never in memory), takes each object's SHA-256 from what the
 * store has stored ({@link StoredSha256#of}) or, when it has none or with {@code deep}, from its bytes, on
 * {@code transfers} threads, and writes the lines in listing order. The file appears complete or not at all: it is
 * written under a temporary name next to it and renamed at the end.
 */
public final class ManifestMaker {
    private ManifestMaker() {
    }

    /**
     * How to write.
     *
     * @param transfers objects read at once (1 or more)
     * @param deep      read every object, trusting no stored digest
     * @param tool      the tool and version written into the header
     */
    public record Options(int transfers, boolean deep, String tool) {
    }

    /**
     * What was written.
     *
     * @param header      the header line's values
     * @param footer      the final line's values (object count, total bytes, chain digest)
     * @param objectsRead how many objects were read to hash them (the others had a stored digest)
     */
    public record Summary(ManifestHeader header, ManifestFooter footer, long objectsRead) {
    }

    /** Writes the manifest of {@code store} to {@code file}, replacing it. */
    public static Summary write(ObjectStore store, Path file, Options options) {
        ManifestHeader header = new ManifestHeader(ManifestLines.FORMAT_VERSION, store.uri(), Instant.now(),
                options.tool());
        Path temp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        AtomicLong reads = new AtomicLong();
        try (OutputStream out = Files.newOutputStream(temp)) {
            ManifestWriter writer = new ManifestWriter(out, header);
            try (OrderedParallel.Pushed<ManifestEntry> work = OrderedParallel.pushed(options.transfers(), "--transfers",
                        "manifest", "reading objects for the manifest", writer::add);
                    Stream<ObjectInfo> listing = store.list("")) {
                listing.forEach(o -> {
                    Optional<String> stored = options.deep() || o.size() < 0 ? Optional.empty()
                            : StoredSha256.of(o);
                    if (stored.isPresent()) {
                        work.ready(entry(o, o.size(), stored.get()));
                    } else {
                        work.submit(() -> {
                            reads.incrementAndGet();
                            return read(store, o);
                        });
                    }
                });
                work.finish();
            }
            ManifestFooter footer = writer.finish();
            out.close();
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Summary(header, footer, reads.get());
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot write the manifest " + file + ": " + e, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static ManifestEntry read(ObjectStore store, ObjectInfo o) {
        try {
            if (o.size() >= 0) {
                return entry(o, o.size(), StoredSha256.ofBytes(store, o.key()));
            }
            try (InputStream in = store.open(o.key(), ByteRange.ALL)) { // size unknown: counted while hashing
                HashingInputStream h = new HashingInputStream(in);
                h.transferTo(OutputStream.nullOutputStream());
                return entry(o, h.count(), h.sha256Hex());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + o.key() + " in " + store.uri(), e);
        }
    }

    private static ManifestEntry entry(ObjectInfo o, long size, String sha256) {
        return new ManifestEntry(o.key(), size, sha256, o.modTime(), o.etag());
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // the temporary name says what it is
        }
    }
}
