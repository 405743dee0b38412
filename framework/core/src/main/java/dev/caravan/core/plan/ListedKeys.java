package dev.caravan.core.plan;

import dev.caravan.api.store.ObjectKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The keys of a {@code --files-from} list: each once, sorted by {@link ObjectKeys#ORDER} (the order of listings), so
 * a plan can walk them beside a listing and look one up in {@code O(log n)}. Immutable and thread-safe; held in memory
 * (about 100 bytes a key: 100,000 keys take some 10 MB).
 */
public final class ListedKeys {
    private final String[] sorted;
    private final String origin;

    private ListedKeys(String[] sorted, String origin) {
        this.sorted = sorted;
        this.origin = origin;
    }

    /**
     * The list of {@code keys}, read from {@code origin} (a file name, for reports). The keys must be safe relative
     * keys ({@link ObjectKeys#problem}); {@link FilterFiles#keys} checks them as it reads them.
     */
    public static ListedKeys of(Collection<String> keys, String origin) {
        String[] sorted = keys.stream().distinct().sorted(ObjectKeys.ORDER).toArray(String[]::new);
        return new ListedKeys(sorted, origin);
    }

    /** Whether {@code key} is listed. */
    public boolean contains(String key) {
        return Arrays.binarySearch(sorted, key, ObjectKeys.ORDER) >= 0;
    }

    /** The listed keys in {@link ObjectKeys#ORDER}. */
    public List<String> keys() {
        return List.of(sorted);
    }

    public int size() {
        return sorted.length;
    }

    /** Where the keys were read from: a file name, or {@code -} for standard input. */
    public String origin() {
        return origin;
    }

    /** The start of the SHA-256 of the keys: two lists with the same keys have the same digest. */
    public String digest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String key : sorted) {
                md.update(key.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The count and digest, not the keys: this text enters the migration's id. */
    @Override
    public String toString() {
        return sorted.length + " keys, sha256 " + digest();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListedKeys other && Arrays.equals(sorted, other.sorted);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sorted);
    }
}
