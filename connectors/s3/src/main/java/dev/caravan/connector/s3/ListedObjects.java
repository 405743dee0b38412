package dev.caravan.connector.s3;

import dev.caravan.api.store.ObjectInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a store's latest listings said of its objects (key, size, ETag, time), for server-side copies that need no HEAD
 * of their source ({@link S3Copier#copyListed}). Bounded: the {@value #CAPACITY} objects listed last (about 5 MiB);
 * a copy of an object no longer remembered looks at its source as before. Each entry is taken once.
 */
final class ListedObjects {
    static final int CAPACITY = 20_000;
    private final Map<String, ObjectInfo> listed = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectInfo> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Remembers a listed object (by its key relative to the store). */
    synchronized void remember(ObjectInfo info) {
        listed.put(info.key(), info);
    }

    /** The listed facts of {@code key}, forgotten as they are taken; {@code null} when none are remembered. */
    synchronized ObjectInfo take(String key) {
        return listed.remove(key);
    }
}
