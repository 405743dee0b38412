package dev.caravan.formats;

import java.util.Base64;
import java.util.HexFormat;

/** How text formats (CSV, JSON Lines) write {@link dev.caravan.api.record.ColumnType#BYTES} values. */
public enum BinaryEncoding {
    /** RFC 4648 base64 with padding (the default). */
    BASE64,
    /** Lower-case hexadecimal, two digits per byte (PostgreSQL's {@code bytea} hex form without {@code \x}). */
    HEX;

    public String encode(byte[] bytes) {
        return this == BASE64 ? Base64.getEncoder().encodeToString(bytes) : HexFormat.of().formatHex(bytes);
    }

    /** Decodes text; throws {@link IllegalArgumentException} with a readable message when it is not valid. */
    public byte[] decode(String text) {
        try {
            if (this == BASE64) {
                return Base64.getDecoder().decode(text.trim());
            }
            String t = text.trim();
            if (t.startsWith("\\x") || t.startsWith("0x")) {
                t = t.substring(2);
            }
            return HexFormat.of().parseHex(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + TextValues.abbreviate(text) + "' is not valid "
                    + name().toLowerCase(java.util.Locale.ROOT) + " (binary columns are written as "
                    + name().toLowerCase(java.util.Locale.ROOT) + "; see the binaryEncoding option)");
        }
    }

    public static BinaryEncoding of(String name) {
        return name == null ? BASE64 : valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
