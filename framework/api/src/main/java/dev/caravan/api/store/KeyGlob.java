package dev.caravan.api.store;

import dev.caravan.api.error.MigrationException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Object-key globs with rclone's rules, shared by every component that selects objects by key: {@code *} and
 * {@code ?} stay within one path segment, {@code **} crosses segments, {@code [abc]}, {@code [!abc]} and
 * {@code {a,b}} work; a glob without a slash matches the base name at any depth ({@code *.tmp}), one with a slash
 * is anchored at the root ({@code logs/**}); a backslash makes the next character plain ({@code report\*.pdf}).
 */
public final class KeyGlob {
    private KeyGlob() {
    }

    /** A glob matching exactly {@code text}: its special characters escaped with a backslash. */
    public static String literal(String text) {
        return text.replaceAll("([*?\\[\\]{},\\\\])", "\\\\$1");
    }

    /** Compiles a glob to a pattern matching whole keys; {@code USER_CONFIG} when it is malformed. */
    public static Pattern compile(String glob) {
        return toRegex(glob);
    }

    private static Pattern toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        String g = glob;
        if (g.startsWith("/")) {
            g = g.substring(1);
        } else if (!g.contains("/")) {
            re.append("(?:.*/)?");
        }
        boolean inClass = false;
        int braces = 0;
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
                re.append(c == '\\' ? "\\\\" : String.valueOf(c));
                continue;
            }
            switch (c) {
                case '*' -> {
                    if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < g.length() && g.charAt(i + 1) == '/') {
                            i++;
                            re.append("(?:.*/)?");
                        } else {
                            re.append(".*");
                        }
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    inClass = true;
                    re.append('[');
                    if (i + 1 < g.length() && g.charAt(i + 1) == '!') {
                        re.append('^');
                        i++;
                    }
                }
                case '{' -> {
                    braces++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (braces == 0) {
                        throw MigrationException.userConfig("bad glob '" + glob + "': unmatched }");
                    }
                    braces--;
                    re.append(')');
                }
                case ',' -> re.append(braces > 0 ? "|" : ",");
                case '\\' -> { // escapes the next character, as in rclone's filters: \* is a star
                    if (++i == g.length()) {
                        throw MigrationException.userConfig("bad glob '" + glob + "': it ends with a lone \\");
                    }
                    re.append(Pattern.quote(String.valueOf(g.charAt(i))));
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (inClass || braces != 0) {
            throw MigrationException.userConfig("bad glob '" + glob + "': unclosed [ or {");
        }
        try {
            return Pattern.compile(re.toString());
        } catch (PatternSyntaxException e) {
            throw MigrationException.userConfig("bad glob '" + glob + "': " + e.getDescription());
        }
    }
}
