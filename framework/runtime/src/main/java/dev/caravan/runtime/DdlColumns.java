package dev.caravan.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the column definitions of the first {@code CREATE TABLE} of a target DDL preview (what a plan shows as the
 * target type of each column, e.g. {@code DOUBLE PRECISION DEFAULT 0 NOT NULL}). Display only: a statement it
 * cannot read gives an empty map, and the plan falls back to Caravan's types.
 */
final class DdlColumns {
    private DdlColumns() {
    }

    /** Column name (unquoted) to the rest of its definition; empty when there is no CREATE TABLE. */
    static Map<String, String> parse(String ddl) {
        Map<String, String> out = new LinkedHashMap<>();
        if (ddl == null) {
            return out;
        }
        int create = ddl.toUpperCase(java.util.Locale.ROOT).indexOf("CREATE TABLE");
        int open = create < 0 ? -1 : ddl.indexOf('(', create);
        if (open < 0) {
            return out;
        }
        int depth = 0;
        char quote = 0;
        int start = open + 1;
        for (int i = open + 1; i < ddl.length(); i++) {
            char ch = ddl.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '"' || ch == '`' || ch == '\'') {
                quote = ch;
            } else if (ch == '[') {
                quote = ']';
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && (ch == ',' || ch == ')')) {
                column(ddl.substring(start, i).trim(), out);
                start = i + 1;
                if (ch == ')') {
                    break;
                }
            }
        }
        return out;
    }

    private static void column(String part, Map<String, String> out) {
        if (part.isEmpty()) {
            return;
        }
        char first = part.charAt(0);
        char close = first == '"' ? '"' : first == '`' ? '`' : first == '[' ? ']' : 0;
        if (close == 0) {
            return; // PRIMARY KEY (...), CONSTRAINT ...: not a column (dialects here quote every column)
        }
        int end = part.indexOf(close, 1);
        if (end < 0) {
            return;
        }
        out.put(part.substring(1, end), part.substring(end + 1).trim());
    }
}
