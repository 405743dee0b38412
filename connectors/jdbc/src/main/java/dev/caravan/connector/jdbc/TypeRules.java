package dev.caravan.connector.jdbc;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.connector.jdbc.dialect.ColumnSizes;
import dev.caravan.connector.jdbc.dialect.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * User rules that override the built-in type mapping, in the spirit of pgloader's CAST rules:
 * {@code [dialect:]SOURCE=TARGET} separated by {@code ;}. The most specific rule wins: a column rule
 * ({@code column:table.col} or {@code column:col}), then a source native type qualified by the source dialect
 * ({@code sqlite:REAL}), then a native type ({@code REAL}), then a logical type ({@code TIMESTAMP_TZ}). Immutable.
 *
 * <p>TARGET is DDL text and is checked against a conservative character set (letters, digits, spaces, {@code _ ( ) ,}
 * and the {@code {p} {s} {n}} placeholders), so a rule cannot smuggle a statement into CREATE TABLE.
 */
final class TypeRules {
    private static final Pattern TARGET = Pattern.compile("[A-Za-z][A-Za-z0-9_ (),{}]*");

    private record Rule(int rank, String dialect, String table, String column, String nativeType, ColumnType logical,
            String target) {
    }

    private final List<Rule> rules;

    private TypeRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static TypeRules parse(String text) {
        List<Rule> rules = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(";")) {
                if (!part.isBlank()) {
                    rules.add(rule(part.trim()));
                }
            }
        }
        rules.sort((a, b) -> Integer.compare(a.rank(), b.rank()));
        return new TypeRules(rules);
    }

    /** Validator for the option: an error message or {@code null}. */
    static String check(String text) {
        try {
            parse(text);
            return null;
        } catch (MigrationException e) {
            return e.getMessage();
        }
    }

    private static Rule rule(String part) {
        int eq = part.indexOf('=');
        if (eq <= 0 || eq == part.length() - 1) {
            throw MigrationException.userConfig("type rule '" + part + "' is not SOURCE=TARGET (e.g. "
                    + "sqlite:REAL=double precision)");
        }
        String source = part.substring(0, eq).trim();
        String target = part.substring(eq + 1).trim();
        if (!TARGET.matcher(target).matches()) {
            throw MigrationException.userConfig("type rule '" + part + "': target type '" + target + "' may only "
                    + "contain letters, digits, spaces, _ ( ) , and {p} {s} {n}");
        }
        if (source.regionMatches(true, 0, "column:", 0, 7)) {
            String col = source.substring(7);
            int dot = col.lastIndexOf('.');
            return dot < 0 ? new Rule(1, null, null, col, null, null, target)
                    : new Rule(0, null, col.substring(0, dot), col.substring(dot + 1), null, null, target);
        }
        String dialect = null;
        int colon = source.indexOf(':');
        if (colon > 0) {
            dialect = source.substring(0, colon).toLowerCase(Locale.ROOT);
            source = source.substring(colon + 1);
        }
        String base = baseName(source);
        for (ColumnType t : ColumnType.values()) {
            if (t.name().equals(source)) {
                return new Rule(dialect == null ? 4 : 3, dialect, null, null, null, t, target);
            }
        }
        return new Rule(dialect == null ? 3 : 2, dialect, null, null, base, null, target);
    }

    private static String baseName(String type) {
        int paren = type.indexOf('(');
        return (paren < 0 ? type : type.substring(0, paren)).trim().toLowerCase(Locale.ROOT);
    }

    /** The target type a rule gives this column, or {@code null} when no rule matches. */
    String apply(String table, Column column, String sourceDialect) {
        String nativeBase = column.nativeType() == null ? null : baseName(column.nativeType());
        for (Rule r : rules) {
            if (r.dialect() != null && !r.dialect().equals(sourceDialect)) {
                continue;
            }
            boolean match;
            if (r.column() != null) {
                match = r.column().equals(column.name()) && (r.table() == null || r.table().equals(table));
            } else if (r.nativeType() != null) {
                match = r.nativeType().equals(nativeBase);
            } else {
                match = r.logical() == column.type();
            }
            if (match) {
                return ColumnSizes.expand(r.target(), column);
            }
        }
        return null;
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }
}
