package dev.caravan.connector.s3;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metadata a store's PUTs have just given their objects, so that storing the same metadata again (a
 * {@code MetadataWrite} right after the PUT) costs no request. Bounded: forgets everything past 10,000 keys.
 * Thread-safe.
 */
final class JustWritten {
    private static final int MAX_KEYS = 10_000;
    private final Map<String, Map<String, String>> written = new ConcurrentHashMap<>();

    /** Records the metadata a PUT has just given {@code key}. */
    void remember(String key, Map<String, String> metadata) {
        if (written.size() >= MAX_KEYS) {
            written.clear();
        }
        written.put(key, metadata);
    }

    /** The metadata recorded by {@link #remember}, once; {@code null} when there is none. */
    Map<String, String> forget(String key) {
        return written.remove(key);
    }
}
