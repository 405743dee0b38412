package dev.caravan.testkit.memory;

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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * A minimal in-memory store used to prove that the contract suite itself runs and passes on a correct store,
 * in writable and in read-only mode. Not a product: a fake for the testkit's own tests.
 */
final class MemoryObjectStore implements ObjectStore, Rename {

    private record Entry(byte[] data, Instant modTime, int mode) {
    }

    private final ConcurrentSkipListMap<String, Entry> objects = new ConcurrentSkipListMap<>(ObjectKeys.ORDER);
    private final boolean readOnly;

    MemoryObjectStore(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** Places an object without going through {@link #put}, as a read-only store's backend would. */
    void seed(String key, byte[] data) {
        objects.put(ObjectKeys.requireSafe(key), new Entry(data.clone(), Instant.now(), 0644));
    }

    @Override
    public String uri() {
        return "memory:";
    }

    @Override
    public StoreFeatures features() {
        return new StoreFeatures(Set.of(), Duration.ofNanos(1), true, true, true, false);
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        return objects.tailMap(prefix, true).entrySet().stream()
                .takeWhile(e -> e.getKey().startsWith(prefix))
                .map(e -> info(e.getKey(), e.getValue()));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return Optional.ofNullable(objects.get(ObjectKeys.requireSafe(key))).map(e -> info(key, e));
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        Entry entry = objects.get(ObjectKeys.requireSafe(key));
        if (entry == null) {
            throw MigrationException.notFound("no object " + key);
        }
        int from = (int) Math.min(range.offset(), entry.data().length);
        int length = range.length() < 0 ? entry.data().length - from
                : (int) Math.min(range.length(), entry.data().length - from);
        return new ByteArrayInputStream(entry.data(), from, length);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        ObjectKeys.requireSafe(key);
        checkWritable();
        try {
            Instant time = request.modTime() != null ? request.modTime() : Instant.now();
            Entry entry = new Entry(data.readAllBytes(), time, request.posixMode() >= 0 ? request.posixMode() : 0644);
            objects.put(key, entry);
            return info(key, entry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String key) {
        ObjectKeys.requireSafe(key);
        checkWritable();
        objects.remove(key);
    }

    @Override
    public void rename(String fromKey, String toKey) {
        ObjectKeys.requireSafe(fromKey);
        ObjectKeys.requireSafe(toKey);
        checkWritable();
        Entry entry = objects.remove(fromKey);
        if (entry == null) {
            throw MigrationException.notFound("no object " + fromKey);
        }
        objects.put(toKey, entry);
    }

    private void checkWritable() {
        if (readOnly) {
            throw MigrationException.unsupported("memory store is read-only");
        }
    }

    private static ObjectInfo info(String key, Entry entry) {
        return new ObjectInfo(key, entry.data().length, entry.modTime(), Map.of(), null, null, Map.of(), entry.mode());
    }
}
