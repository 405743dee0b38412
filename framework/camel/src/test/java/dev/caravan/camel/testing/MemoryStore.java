package dev.caravan.camel.testing;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.Rename;
import dev.caravan.api.store.StoreFeatures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** An in-memory {@link ObjectStore} without atomic puts (so transfers go through a temporary key and rename). */
public final class MemoryStore implements ObjectStore, Rename {
    private final String uri;
    private final Data data;
    private final boolean corrupt;

    MemoryStore(String uri, Data data, boolean corrupt) {
        this.uri = uri;
        this.data = data;
        this.corrupt = corrupt;
    }

    /** The shared content of one location. */
    public static final class Data {
        final ConcurrentSkipListMap<String, Entry> objects = new ConcurrentSkipListMap<>(ObjectKeys.ORDER);
        final List<String> putKeys = new CopyOnWriteArrayList<>();

        public void put(String key, byte[] bytes, Instant modTime) {
            objects.put(key, new Entry(bytes.clone(), modTime));
        }

        public byte[] get(String key) {
            Entry e = objects.get(key);
            return e == null ? null : e.bytes.clone();
        }

        public Set<String> keys() {
            return Set.copyOf(objects.keySet());
        }

        /** Every key written by a put, in order (temporary names included). */
        public List<String> putKeys() {
            return List.copyOf(putKeys);
        }

        public void clear() {
            objects.clear();
        }
    }

    record Entry(byte[] bytes, Instant modTime) {
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public StoreFeatures features() {
        return new StoreFeatures(Set.of(), Duration.ofMillis(1), true, false, false, false);
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        return data.objects.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(e -> info(e.getKey(), e.getValue()));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Entry e = data.objects.get(ObjectKeys.requireSafe(key));
        return e == null ? Optional.empty() : Optional.of(info(key, e));
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        Entry e = data.objects.get(ObjectKeys.requireSafe(key));
        if (e == null) {
            throw MigrationException.notFound("no object '" + key + "' in " + uri);
        }
        int from = (int) Math.min(range.offset(), e.bytes.length);
        int to = range.length() < 0 ? e.bytes.length : (int) Math.min(e.bytes.length, from + range.length());
        return new ByteArrayInputStream(Arrays.copyOfRange(e.bytes, from, to));
    }

    @Override
    public ObjectInfo put(String key, InputStream in, PutRequest request) {
        try {
            byte[] bytes = in.readAllBytes();
            if (corrupt && bytes.length > 0) {
                bytes[0] ^= 0x1;
            }
            Instant time = request.modTime() != null ? request.modTime() : Instant.now();
            Entry e = new Entry(bytes, time);
            data.objects.put(ObjectKeys.requireSafe(key), e);
            data.putKeys.add(key);
            return info(key, e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void delete(String key) {
        data.objects.remove(ObjectKeys.requireSafe(key));
    }

    @Override
    public void rename(String fromKey, String toKey) {
        Entry e = data.objects.remove(fromKey);
        if (e == null) {
            throw MigrationException.notFound("no object '" + fromKey + "' in " + uri);
        }
        data.objects.put(toKey, e);
    }

    private static ObjectInfo info(String key, Entry e) {
        return new ObjectInfo(key, e.bytes.length, e.modTime, Map.of(), null, null, Map.of(), -1);
    }
}
