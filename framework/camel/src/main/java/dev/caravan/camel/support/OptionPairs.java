package dev.caravan.camel.support;

import dev.caravan.api.error.MigrationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text form of a nested option map, {@code name=value;name=value}, in which a backslash escapes {@code ;},
 * {@code =} and itself. It carries codec and store options through the single string options of the
 * {@code files} record connector, and a connector's options through one route template parameter
 * ({@code sourceConnector}, {@code targetConnector} of caravan-records:, {@code backupConnector} of caravan:migrate).
 */
public final class OptionPairs {
    private OptionPairs() {
    }

    /** Joins a map (sorted or insertion order kept); {@code null} or empty gives {@code ""}. */
    public static String join(Map<String, String> map) {
        StringBuilder sb = new StringBuilder();
        if (map != null) {
            map.forEach((k, v) -> {
                if (sb.length() > 0) {
                    sb.append(';');
                }
                sb.append(escape(k)).append('=').append(escape(v == null ? "" : v));
            });
        }
        return sb.toString();
    }

    /** Parses the joined form; {@code null} or blank gives an empty map. */
    public static Map<String, String> parse(String option, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        StringBuilder name = new StringBuilder();
        StringBuilder value = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            StringBuilder cur = value == null ? name : value;
            if (c == '\\' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
            } else if (c == '=' && value == null) {
                value = new StringBuilder();
            } else if (c == ';') {
                put(option, out, name, value);
                name = new StringBuilder();
                value = null;
            } else {
                cur.append(c);
            }
        }
        put(option, out, name, value);
        return out;
    }

    private static void put(String option, Map<String, String> out, StringBuilder name, StringBuilder value) {
        String n = name.toString().trim();
        if (n.isEmpty() && value == null) {
            return;
        }
        if (n.isEmpty() || value == null) {
            throw MigrationException.userConfig("option '" + option + "': '" + name + "' is not name=value");
        }
        out.put(n, value.toString());
    }

    /** Returns {@code null} when the text parses, else the problem (for option validators). */
    public static String check(String text) {
        try {
            parse("value", text);
            return null;
        } catch (MigrationException e) {
            return e.getMessage();
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(";", "\\;").replace("=", "\\=");
    }
}
