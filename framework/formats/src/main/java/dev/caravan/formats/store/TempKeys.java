package dev.caravan.formats.store;

import dev.caravan.api.store.ObjectKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic temporary keys for part files, in the shape the object pipeline uses
 * ({@code .<name>.caravan-<12 hex>.partial}, next to the final key), so the same cleanup finds both and a retried
 * write overwrites its own leftover instead of leaking a new one.
 */
final class TempKeys {
    private static final String MARK = ".caravan-";
    private static final String SUFFIX = ".partial";
    private static final int MAX_BASE = 180;

    private TempKeys() {
    }

    static String partial(String key) {
        String parent = ObjectKeys.parent(key);
        String base = ObjectKeys.baseName(key);
        if (base.length() > MAX_BASE) {
            base = base.substring(0, MAX_BASE);
        }
        String name = "." + base + MARK + tag(key) + SUFFIX;
        return parent.isEmpty() ? name : parent + "/" + name;
    }

    static boolean isPartial(String key) {
        String base = ObjectKeys.baseName(key);
        return base.startsWith(".") && base.endsWith(SUFFIX) && base.contains(MARK);
    }

    private static String tag(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
