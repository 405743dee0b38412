package dev.caravan.core.engine;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.Options;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.QuickListing;
import dev.caravan.api.store.StoreFeatures;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.core.hash.HashingInputStream;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.MemoryStoreProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A test fake shaped like S3 (framework tests only): atomic puts, a fresh ETag per write, the kept modification
 * time and SHA-256 only in the full listing and {@code stat} (a HEAD each on S3), and a {@link QuickListing} that
 * gives key, size, ETag and the time of the last write. Counts {@code stat} calls, full listings, puts and reads.
 */
final class EtagStore implements ObjectStore, QuickListing {
    /** One stored object. */
    record Obj(byte[] data, Instant kept, Instant written, String sha256, String etag) {
    }

    /**
     * The connectors of a test: the memory store ({@code mem:}) and {@code etag:LOCATION}, opened by {@code stores}
     * (the same instance for a location, so that a test sees what a run did to it).
     */
    static ConnectorRegistry registry(java.util.function.Function<String, ObjectStore> stores) {
        return ConnectorRegistry.of(new MemoryStoreProvider(), new StoreProvider() {
            @Override
            public String scheme() {
                return "etag";
            }

            @Override
            public String description() {
                return "S3-shaped test store";
            }

            @Override
            public Options options() {
                return Options.of("etag");
            }

            @Override
            public ObjectStore open(String location, Config config) {
                return stores.apply(location);
            }
        });
    }

    final AtomicInteger stats = new AtomicInteger();
    final AtomicInteger fullListings = new AtomicInteger();
    final AtomicInteger puts = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    private final String name;
    private final ConcurrentSkipListMap<String, Obj> objects = new ConcurrentSkipListMap<>(ObjectKeys.ORDER);
    private final AtomicLong versions = new AtomicLong();
    /** The clock of writes: each write one second later (S3 lists whole seconds). */
    private final AtomicLong clock = new AtomicLong(Instant.parse("2026-03-01T00:00:00Z").getEpochSecond());

    EtagStore(String name) {
        this.name = name;
    }

    /** Writes an object as another tool would: new ETag, new write time, the given kept time. */
    void write(String key, byte[] data, Instant kept) {
        objects.put(key, new Obj(data, kept, Instant.ofEpochSecond(clock.incrementAndGet()), sha(data),
                "\"v" + versions.incrementAndGet() + "\""));
    }

    byte[] bytes(String key) {
        return objects.get(key).data();
    }

    void resetCounts() {
        stats.set(0);
        fullListings.set(0);
        puts.set(0);
        reads.set(0);
    }

    @Override
    public String uri() {
        return "etag:" + name;
    }

    @Override
    public StoreFeatures features() {
        return new StoreFeatures(Set.of(HashType.SHA256), Duration.ofMillis(1), true, false, true, false);
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        fullListings.incrementAndGet();
        return entries(prefix).map(e -> full(e.getKey(), e.getValue()));
    }

    @Override
    public Stream<ObjectInfo> listQuick(String prefix) {
        return entries(prefix).map(e -> new ObjectInfo(e.getKey(), e.getValue().data().length, e.getValue().written(),
                Map.of(), e.getValue().etag(), null, Map.of(), -1));
    }

    private Stream<Map.Entry<String, Obj>> entries(String prefix) {
        return objects.tailMap(prefix, true).entrySet().stream().takeWhile(e -> e.getKey().startsWith(prefix));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        stats.incrementAndGet();
        Obj o = objects.get(ObjectKeys.requireSafe(key));
        return o == null ? Optional.empty() : Optional.of(full(key, o));
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        reads.incrementAndGet();
        Obj o = objects.get(key);
        if (o == null) {
            throw MigrationException.notFound("no object " + key + " in " + uri());
        }
        return new ByteArrayInputStream(o.data());
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        puts.incrementAndGet();
        byte[] bytes;
        try {
            bytes = data.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(key, bytes, request.modTime());
        return full(key, objects.get(key));
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    private static ObjectInfo full(String key, Obj o) {
        return new ObjectInfo(key, o.data().length, o.kept() != null ? o.kept() : o.written(),
                Map.of(HashType.SHA256, o.sha256()), o.etag(), null, Map.of(), -1);
    }

    private static String sha(byte[] data) {
        try {
            return HashingInputStream.sha256Of(new ByteArrayInputStream(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
