package dev.caravan.connector.azureblob;

/**
 * Azure Blob Storage's rules for blob names beyond those of every store: the names it stores as another name, and
 * its limit of path segments. Stateless.
 */
final class AzureBlobNames {
    /** Path segments a blob name may have (accounts without a hierarchical namespace). */
    static final int MAX_SEGMENTS = 254;

    private AzureBlobNames() {
    }

    /**
     * Why Azure would store {@code name} under another name, or {@code null}: it turns a backslash into {@code /},
     * and drops the dots that end a file or folder name ({@code x/name.} is stored as {@code x/name}; the Java SDK
     * and other tools report the same), which could overwrite another blob and would fail verification. With
     * {@code keyMapHint}, the message names the key map rule that avoids it.
     */
    static String changed(String name, boolean keyMapHint) {
        if (name.indexOf('\\') >= 0) {
            return "Azure Blob Storage turns a backslash in a blob name into '/', so the blob would be stored under"
                    + " another name" + (keyMapHint ? " (--key-map 'replace:\\=\uff3c', or keyMap in a route, writes it"
                    + " as a full-width backslash)" : "");
        }
        int start = 0;
        while (start <= name.length()) {
            int end = name.indexOf('/', start);
            end = end < 0 ? name.length() : end;
            if (end > start && name.charAt(end - 1) == '.') {
                String segment = name.substring(start, end);
                return "Azure Blob Storage drops the dots that end a file or folder name ('" + segment
                        + "' would be stored without them), so the blob would be stored under another name"
                        + (keyMapHint ? " (--key-map 'trailing:.=\uff0e', or keyMap in a"
                        + " route, writes such a dot as a full-width one)" : "");
            }
            start = end + 1;
        }
        return null;
    }

    /**
     * Why Azure would refuse {@code name}, or {@code null}: control characters (U+0000 to U+001F, U+007F to U+009F) and
     * the noncharacters U+FDD0 to U+FDEF, U+FFFE and U+FFFF are outside the characters its names take (Microsoft's
     * Azure Storage character scrubber; rclone encodes them for Azure too). Azurite stores them, then fails every
     * listing of the container.
     */
    static String unsupported(String name, boolean keyMapHint) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x1F || c >= 0x7F && c <= 0x9F || c >= 0xFDD0 && c <= 0xFDEF || c == 0xFFFE || c == 0xFFFF) {
                String code = String.format("U+%04X", (int) c);
                return "Azure Blob Storage does not take the character " + code + " (a control character or a "
                        + "noncharacter) in blob names" + (keyMapHint ? " (a key map rule replace:C=R with that "
                        + "character as C writes it as another)" : "");
            }
        }
        return null;
    }

    /** Why {@code name} has too many path segments for Azure, or {@code null}. */
    static String tooDeep(String name) {
        long segments = name.chars().filter(c -> c == '/').count() + 1;
        return segments <= MAX_SEGMENTS ? null : "the blob name would have " + segments + " path segments, Azure "
                + "allows " + MAX_SEGMENTS;
    }
}
