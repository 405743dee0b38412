package dev.caravan.connector.jdbc;

import dev.caravan.api.error.MigrationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Table and column renames of a sink: {@code from=to} separated by commas. {@code orders=sales} renames a
 * table; {@code orders.amt=amount} a column of one table; {@code *.created=created_at} a column of every table. A
 * backslash escapes {@code , = .} and itself, so any name can be written. Immutable.
 */
final class Renames {
    private final Map<String, String> tables;
    private final Map<String, String> columns; // "table\0column" or "\0column" for every table

    private Renames(Map<String, String> tables, Map<String, String> columns) {
        this.tables = Map.copyOf(tables);
        this.columns = Map.copyOf(columns);
    }

    static Renames parse(String text) {
        Map<String, String> tables = new HashMap<>();
        Map<String, String> columns = new HashMap<>();
        if (text != null && !text.isBlank()) {
            for (List<String> rule : split(text)) {
                if (rule.size() != 2 && rule.size() != 3 || rule.get(rule.size() - 1).isEmpty()) {
                    throw MigrationException.userConfig("rename rule needs the form table=new, table.column=new "
                            + "or *.column=new; got: " + text);
                }
                if (rule.size() == 2) {
                    tables.put(rule.get(0), rule.get(1));
                } else {
                    String table = rule.get(0).equals("*") ? "" : rule.get(0);
                    columns.put(table + "\0" + rule.get(1), rule.get(2));
                }
            }
        }
        return new Renames(tables, columns);
    }

    /** Splits into rules of [table, new] or [table, column, new], honouring backslash escapes. */
    private static List<List<String>> split(String text) {
        List<List<String>> rules = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean target = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
            } else if (c == '.' && !target) {
                parts.add(cur.toString().trim());
                cur.setLength(0);
            } else if (c == '=' && !target) {
                parts.add(cur.toString().trim());
                cur.setLength(0);
                target = true;
            } else if (c == ',') {
                parts.add(cur.toString().trim());
                cur.setLength(0);
                rules.add(parts);
                parts = new ArrayList<>();
                target = false;
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString().trim());
        rules.add(parts);
        rules.removeIf(r -> r.size() == 1 && r.get(0).isEmpty());
        return rules;
    }

    static String check(String text) {
        try {
            parse(text);
            return null;
        } catch (MigrationException e) {
            return e.getMessage();
        }
    }

    String table(String source) {
        return tables.getOrDefault(source, source);
    }

    /** The source table renamed to {@code target}, or {@code target} itself when no rule renames a table to it. */
    String sourceTable(String target) {
        return tables.entrySet().stream().filter(e -> e.getValue().equals(target)).map(Map.Entry::getKey)
                .findFirst().orElse(target);
    }

    String column(String table, String column) {
        String specific = columns.get((table == null ? "" : table) + "\0" + column);
        return specific != null ? specific : columns.getOrDefault("\0" + column, column);
    }

    List<String> columns(String table, List<String> names) {
        return names.stream().map(n -> column(table, n)).toList();
    }
}
