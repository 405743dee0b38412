package dev.caravan.api.store;

import java.net.FileNameMap;
import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;

/**
 * The content type a file name implies, for stores whose objects carry none (local files, SFTP): what
 * {@code aws s3 cp}, AzCopy and rclone guess when they upload a file, so that a web site or a document archive moved
 * to a cloud store is served with the right {@code Content-Type}. The table is the JDK's ({@link URLConnection}'s
 * file name map, the same on every machine, unlike {@code /etc/mime.types}) with a few web types it lacks.
 * Stateless and thread-safe.
 */
public final class ContentTypes {
    /** Extensions (lower case) the JDK's table lacks; the names are IANA's registered types. */
    private static final Map<String, String> MORE = Map.of(
            "mjs", "text/javascript",
            "woff", "font/woff",
            "woff2", "font/woff2",
            "ico", "image/vnd.microsoft.icon",
            "wasm", "application/wasm",
            "avif", "image/avif",
            "yaml", "application/yaml",
            "yml", "application/yaml",
            "webmanifest", "application/manifest+json");
    private static final FileNameMap JDK = URLConnection.getFileNameMap();

    private ContentTypes() {
    }

    /**
     * The content type implied by the extension of the last segment of {@code key} (case-insensitive), or
     * {@code null} when it has none or an unknown one.
     */
    public static String guess(String key) {
        if (key == null) {
            return null;
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return null; // no extension, or a dot file such as .profile
        }
        String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!extension.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c) || c == '-' || c == '+')) {
            return null;
        }
        String more = MORE.get(extension);
        return more != null ? more : JDK.getContentTypeFor("f." + extension);
    }
}
