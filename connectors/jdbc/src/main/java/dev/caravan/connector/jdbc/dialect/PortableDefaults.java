package dev.caravan.connector.jdbc.dialect;

import dev.caravan.api.record.ColumnType;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Column defaults between databases: a default as a database reports it becomes a portable one (a literal, a number,
 * TRUE/FALSE, CURRENT_DATE/TIME/TIMESTAMP), and a portable one is rendered for a target column. What
 * {@link Dialect#portableDefault} and {@link Dialect#renderDefault} do unless a dialect knows better. Stateless.
 */
final class PortableDefaults {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'')*)'");

    private PortableDefaults() {
    }

    /**
     * Turns a default as the database reports it into a portable one (see
     * {@link dev.caravan.api.record.TableDefinition#defaults()}), or {@code null} when it is not portable.
     */
    static String portable(String raw, ColumnType type) {
        if (raw == null) {
            return null;
        }
        String d = raw.trim();
        while (d.startsWith("(") && d.endsWith(")")) {
            d = d.substring(1, d.length() - 1).trim();
        }
        int cast = d.lastIndexOf("::");
        if (cast > 0 && d.startsWith("'")) {
            d = d.substring(0, cast);
        }
        String lower = d.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "null":
                return null;
            case "current_timestamp", "now()", "current_timestamp()", "localtimestamp", "getdate()":
                return "CURRENT_TIMESTAMP";
            case "current_date", "curdate()", "current_date()":
                return "CURRENT_DATE";
            case "current_time", "curtime()", "current_time()":
                return "CURRENT_TIME";
            case "true", "false":
                return lower.toUpperCase(Locale.ROOT);
            default:
                break;
        }
        if (NUMBER.matcher(d).matches()) {
            if (type == ColumnType.BOOLEAN) {
                return new BigDecimal(d).signum() == 0 ? "FALSE" : "TRUE";
            }
            return d;
        }
        Matcher q = QUOTED.matcher(d);
        if (q.matches()) {
            return d;
        }
        return null;
    }

    /**
     * Renders a portable default for a column of logical {@code type}, or {@code null} to leave it out.
     *
     * @param literal the dialect's string literal ({@link Dialect#literal})
     */
    static String render(String portable, ColumnType type, UnaryOperator<String> literal) {
        if (portable == null) {
            return null;
        }
        if (portable.startsWith("'")) {
            Matcher q = QUOTED.matcher(portable);
            if (!q.matches()) {
                return null;
            }
            return literal.apply(q.group(1).replace("''", "'"));
        }
        if (portable.equals("TRUE") || portable.equals("FALSE")) {
            return type == ColumnType.BOOLEAN ? portable : null;
        }
        if (portable.startsWith("CURRENT_")) {
            return switch (type) {
                case TIMESTAMP, TIMESTAMP_TZ -> portable.equals("CURRENT_TIMESTAMP") ? portable : null;
                case DATE -> portable.equals("CURRENT_DATE") ? portable : null;
                case TIME -> portable.equals("CURRENT_TIME") ? portable : null;
                default -> null;
            };
        }
        return NUMBER.matcher(portable).matches() ? portable : null;
    }
}
