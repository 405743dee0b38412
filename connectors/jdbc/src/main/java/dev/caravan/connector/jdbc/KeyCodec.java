package dev.caravan.connector.jdbc;

import dev.caravan.api.record.ColumnType;
import dev.caravan.connector.jdbc.dialect.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The string form of keys in checkpoints ({@code jdbc.lastKey}), split bounds and verification ranges: a single
 * key is its value as text (numbers plain, times ISO-8601, bytes {@code \x}-hex); a composite key joins the parts
 * with commas, each part with {@code %} and {@code ,} percent-escaped. Stateless.
 */
final class KeyCodec {
    private KeyCodec() {
    }

    static String encode(Object[] parts) {
        if (parts.length == 1) {
            return text(parts[0]);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(text(parts[i]).replace("%", "%25").replace(",", "%2C"));
        }
        return sb.toString();
    }

    /** The key parts converted to the Java types of {@code types}, ready to bind. */
    static Object[] decode(String key, List<ColumnType> types) {
        List<String> parts = new ArrayList<>();
        if (types.size() == 1) {
            parts.add(key);
        } else {
            for (String p : key.split(",", -1)) {
                parts.add(p.replace("%2C", ",").replace("%25", "%"));
            }
            if (parts.size() != types.size()) {
                throw new IllegalArgumentException("key '" + key + "' has " + parts.size() + " parts, expected "
                        + types.size());
            }
        }
        Object[] out = new Object[types.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Values.convert(parts.get(i), types.get(i));
        }
        return out;
    }

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof byte[] b) {
            return "\\x" + HexFormat.of().formatHex(b);
        }
        return v.toString();
    }
}
