package dev.caravan.connector.jdbc;

import java.util.HexFormat;

/** Rows as comparable text for tests: each value as {@code Class:value} (bytes in hex), {@code null} for SQL NULL. */
public final class RowText {
    private RowText() {
    }

    public static String describe(Object[] values) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            sb.append(sb.length() == 0 ? "" : " ");
            if (v == null) {
                sb.append("null");
            } else if (v instanceof byte[] b) {
                sb.append("byte[]:").append(HexFormat.of().formatHex(b));
            } else {
                sb.append(v.getClass().getSimpleName()).append(':').append(v);
            }
        }
        return sb.toString();
    }
}
