package dev.caravan.formats;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one-line text form of a schema, for options and YAML:
 * {@code id:LONG NOT NULL, name:STRING, price:DECIMAL(12,2), "order date":DATE}. A name with characters other than
 * letters, digits and {@code _} is written in double quotes ({@code ""} inside stands for one quote). Types are
 * the {@link ColumnType} names, case-insensitive, DECIMAL with optional {@code (precision,scale)}; a few SQL
 * aliases are accepted (INTEGER, BIGINT, TEXT, VARCHAR, NUMERIC, REAL, DOUBLE PRECISION, BOOL, BYTEA, TIMESTAMPTZ).
 */
public final class SchemaText {
    /** A type with its precision and scale (both {@code 0} when not applicable). */
    public record TypeSpec(ColumnType type, int precision, int scale) {
        @Override
        public String toString() {
            return Values.typeName(type, precision, scale);
        }
    }

    private SchemaText() {
    }

    /** Parses a column list; fails with {@code USER_CONFIG} naming the bad entry. */
    public static List<Column> parseColumns(String text) {
        List<Column> columns = new ArrayList<>();
        for (String entry : splitTopLevel(text)) {
            if (entry.isBlank()) {
                continue;
            }
            columns.add(parseColumn(entry.trim()));
        }
        if (columns.isEmpty()) {
            throw MigrationException.userConfig("empty schema '" + text
                    + "': give name:TYPE pairs, e.g. id:LONG,name:STRING");
        }
        return columns;
    }

    /** A schema named {@code name} with the parsed columns and no key. */
    public static Schema parseSchema(String name, String text) {
        return new Schema(name, parseColumns(text), List.of());
    }

    /** Parses {@code LONG}, {@code decimal(12, 2)}, {@code timestamptz} ... */
    public static TypeSpec parseType(String text) {
        String t = text.trim();
        int open = t.indexOf('(');
        String base = (open < 0 ? t : t.substring(0, open)).trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        int precision = 0;
        int scale = 0;
        if (open >= 0) {
            if (!t.endsWith(")")) {
                throw badType(text);
            }
            String[] parts = t.substring(open + 1, t.length() - 1).split(",");
            try {
                precision = Integer.parseInt(parts[0].trim());
                scale = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 0;
            } catch (NumberFormatException e) {
                throw badType(text);
            }
            if (parts.length > 2 || precision < 0 || scale < 0 || (precision > 0 && scale > precision)) {
                throw badType(text);
            }
        }
        ColumnType type = switch (base) {
            case "INTEGER", "INT4", "INT32", "SMALLINT" -> ColumnType.INT;
            case "BIGINT", "INT8", "INT64" -> ColumnType.LONG;
            case "NUMERIC" -> ColumnType.DECIMAL;
            case "TEXT", "VARCHAR", "CHAR" -> ColumnType.STRING;
            case "REAL", "FLOAT4" -> ColumnType.FLOAT;
            case "DOUBLE PRECISION", "FLOAT8" -> ColumnType.DOUBLE;
            case "BOOL" -> ColumnType.BOOLEAN;
            case "BYTEA", "BINARY", "BLOB" -> ColumnType.BYTES;
            case "TIMESTAMPTZ" -> ColumnType.TIMESTAMP_TZ;
            case "JSONB" -> ColumnType.JSON;
            default -> {
                try {
                    yield ColumnType.valueOf(base.replace(' ', '_'));
                } catch (IllegalArgumentException e) {
                    throw badType(text);
                }
            }
        };
        if (type != ColumnType.DECIMAL) {
            precision = 0;
            scale = 0;
        }
        return new TypeSpec(type, precision, scale);
    }

    /** The text form of a column list (inverse of {@link #parseColumns}). */
    public static String format(List<Column> columns) {
        return columns.stream().map(SchemaText::format).collect(Collectors.joining(", "));
    }

    /** One column: {@code name:TYPE} plus {@code NOT NULL} when it is not nullable. */
    public static String format(Column c) {
        return quoteName(c.name()) + ":" + Values.typeName(c.type(), c.precision(), c.scale())
                + (c.nullable() ? "" : " NOT NULL");
    }

    /** A name as written in the text form: bare when it is a simple identifier, else in double quotes. */
    public static String quoteName(String name) {
        return name.matches("[\\p{L}_][\\p{L}\\p{N}_]*") ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    private static Column parseColumn(String entry) {
        String name;
        String rest;
        if (entry.startsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            int i = 1;
            while (true) {
                if (i >= entry.length()) {
                    throw MigrationException.userConfig("schema entry '" + entry + "': unclosed quote in the name");
                }
                char c = entry.charAt(i);
                if (c == '"') {
                    if (i + 1 < entry.length() && entry.charAt(i + 1) == '"') {
                        sb.append('"');
                        i += 2;
                        continue;
                    }
                    break;
                }
                sb.append(c);
                i++;
            }
            name = sb.toString();
            rest = entry.substring(i + 1).trim();
            if (!rest.startsWith(":")) {
                throw MigrationException.userConfig("schema entry '" + entry + "': expected name:TYPE");
            }
            rest = rest.substring(1);
        } else {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw MigrationException.userConfig("schema entry '" + entry
                        + "': expected name:TYPE, e.g. price:DECIMAL(12,2)");
            }
            name = entry.substring(0, colon).trim();
            rest = entry.substring(colon + 1);
        }
        String typeText = rest.trim();
        boolean nullable = true;
        String upper = typeText.toUpperCase(Locale.ROOT);
        if (upper.endsWith(" NOT NULL")) {
            nullable = false;
            typeText = typeText.substring(0, typeText.length() - " NOT NULL".length()).trim();
        } else if (upper.endsWith(" NULL")) {
            typeText = typeText.substring(0, typeText.length() - " NULL".length()).trim();
        }
        TypeSpec spec = parseType(typeText);
        return new Column(name, spec.type(), null, spec.precision(), spec.scale(), nullable);
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                parts.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        parts.add(cur.toString());
        return parts;
    }

    private static MigrationException badType(String text) {
        return MigrationException.userConfig("unknown column type '" + text + "'; use one of "
                + java.util.Arrays.toString(ColumnType.values()) + ", DECIMAL as DECIMAL(precision,scale)");
    }
}
