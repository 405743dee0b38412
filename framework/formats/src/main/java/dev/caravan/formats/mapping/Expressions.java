package dev.caravan.formats.mapping;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.TextValues;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The small expression language of derived columns (no operators, no nesting beyond concat's arguments):
 *
 * <ul>
 *   <li>{@code 'text'} (a quote inside is {@code ''}), {@code 42}, {@code 12.50}, {@code true}, {@code false},
 *       {@code null}: constants (STRING, LONG, DECIMAL, BOOLEAN; null takes the type given with cast).</li>
 *   <li>{@code name} or {@code "odd name"}: a copy of a source column (its type).</li>
 *   <li>{@code concat(a, ' ', b)}: the text of each argument joined, NULL arguments skipped (STRING).</li>
 *   <li>{@code now()}: the time the mapping was bound, the same for every record of a run (TIMESTAMP_TZ).</li>
 * </ul>
 */
final class Expressions {
    /** A parsed expression: the function, its natural type and the source columns it reads. */
    record Parsed(Function<Row, Object> function, Column type, String text) {
    }

    private Expressions() {
    }

    static Parsed parse(String text, Schema source, OffsetDateTime now) {
        String t = text.trim();
        try {
            if (t.equalsIgnoreCase("now()")) {
                return new Parsed(r -> now, Column.of("now", ColumnType.TIMESTAMP_TZ), t);
            }
            if (t.regionMatches(true, 0, "concat(", 0, 7) && t.endsWith(")")) {
                List<Parsed> args = new ArrayList<>();
                for (String a : splitArgs(t.substring(7, t.length() - 1))) {
                    args.add(term(a.trim(), source, text));
                }
                return new Parsed(r -> {
                    StringBuilder sb = new StringBuilder();
                    for (Parsed a : args) {
                        Object v = a.function().apply(r);
                        if (v != null) {
                            sb.append(v instanceof String s ? s : TextValues.format(v));
                        }
                    }
                    return sb.toString();
                }, Column.of("concat", ColumnType.STRING), t);
            }
            return term(t, source, text);
        } catch (IllegalArgumentException e) {
            throw MigrationException.userConfig("derived column expression '" + text + "': " + e.getMessage());
        }
    }

    private static Parsed term(String t, Schema source, String whole) {
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty argument");
        }
        if (t.startsWith("'")) {
            if (t.length() < 2 || !t.endsWith("'")) {
                throw new IllegalArgumentException("unclosed string " + t);
            }
            String value = t.substring(1, t.length() - 1).replace("''", "'");
            return new Parsed(r -> value, Column.of("text", ColumnType.STRING), t);
        }
        if (t.equalsIgnoreCase("null")) {
            return new Parsed(r -> null, Column.of("null", ColumnType.STRING), t);
        }
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            Boolean b = Boolean.valueOf(t.toLowerCase(java.util.Locale.ROOT));
            return new Parsed(r -> b, Column.of("bool", ColumnType.BOOLEAN), t);
        }
        if (t.matches("[+-]?\\d+")) {
            Long l = Long.valueOf(t);
            return new Parsed(r -> l, Column.of("number", ColumnType.LONG), t);
        }
        if (t.matches("[+-]?\\d*\\.\\d+")) {
            BigDecimal d = new BigDecimal(t);
            return new Parsed(r -> d, Column.of("number", ColumnType.DECIMAL), t);
        }
        String name = t;
        if (t.startsWith("\"")) {
            if (t.length() < 2 || !t.endsWith("\"")) {
                throw new IllegalArgumentException("unclosed name " + t);
            }
            name = t.substring(1, t.length() - 1).replace("\"\"", "\"");
        } else if (!t.matches("[\\p{L}_][\\p{L}\\p{N}_]*")) {
            throw new IllegalArgumentException("'" + t + "' is not a constant, a column name, concat(...) or now() "
                    + "(quote names with spaces: \"order date\")");
        }
        int index = source.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no source column '" + name + "' (columns: "
                    + source.columns().stream().map(Column::name).toList() + ")");
        }
        Column c = source.columns().get(index);
        return new Parsed(r -> r.get(index), c, t);
    }

    private static List<String> splitArgs(String inner) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == ',' && !single && !dbl) {
                out.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        if (single || dbl) {
            throw new IllegalArgumentException("unclosed quote in concat arguments");
        }
        out.add(cur.toString());
        return out;
    }
}
