package dev.caravan.camel.support;

import dev.caravan.api.config.Config;
import dev.caravan.api.error.MigrationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Parsing of option values as they arrive from URIs and headers (always text), with messages that name the
 * option and say what would be accepted. Blank values count as "not set", so that an empty optional route
 * template parameter ({@code include={{?include}}}) means the default.
 */
public final class OptionValues {
    private OptionValues() {
    }

    /** The value as trimmed text, or {@code null} when absent or blank. */
    public static String text(Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString().trim();
        return s.isEmpty() ? null : s;
    }

    /** A non-negative int, or the fallback when unset. */
    public static int intValue(String option, Object value, int fallback) {
        String s = text(value);
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw MigrationException.userConfig("option '" + option + "': expected a whole number, got '" + s + "'");
        }
    }

    /** A size such as {@code 1048576}, {@code 64k} or {@code 10M}, or the fallback when unset. */
    public static long size(String option, Object value, long fallback) {
        String s = text(value);
        if (s == null) {
            return fallback;
        }
        try {
            return Config.parseSize(s);
        } catch (MigrationException e) {
            throw MigrationException.userConfig("option '" + option + "': " + e.getMessage());
        }
    }

    /** A duration such as {@code 30s}, {@code 2h}, {@code 7d} or {@code PT1H}, or {@code null} when unset. */
    public static Duration duration(String option, Object value) {
        String s = text(value);
        if (s == null) {
            return null;
        }
        try {
            return Config.parseDuration(s);
        } catch (MigrationException e) {
            throw MigrationException.userConfig("option '" + option + "': " + e.getMessage());
        }
    }

    /** A boolean ({@code true}/{@code false}), or the fallback when unset. */
    public static boolean bool(String option, Object value, boolean fallback) {
        String s = text(value);
        if (s == null) {
            return fallback;
        }
        if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
            throw MigrationException.userConfig("option '" + option + "': expected true or false, got '" + s + "'");
        }
        return Boolean.parseBoolean(s);
    }

    /**
     * An enum constant, matched without regard to case, {@code -} or {@code _} ({@code size-mtime} selects
     * {@code SIZE_MTIME}); the fallback when unset.
     */
    public static <E extends Enum<E>> E enumValue(String option, Object value, Class<E> type, E fallback) {
        String s = text(value);
        if (s == null) {
            return fallback;
        }
        String wanted = normalize(s);
        for (E constant : type.getEnumConstants()) {
            if (normalize(constant.name()).equals(wanted)) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", "));
        throw MigrationException.userConfig("option '" + option + "': '" + s + "' is not one of " + allowed);
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /**
     * Splits a comma-separated list of globs; commas inside {@code {a,b}} or {@code [..]} do not split, so
     * {@code **}{@code /*.{csv,txt},logs/**} is two globs.
     */
    public static List<String> globs(Object value) {
        String s = text(value);
        if (s == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int braces = 0;
        boolean inClass = false;
        for (char c : s.toCharArray()) {
            if (c == ',' && braces == 0 && !inClass) {
                add(out, cur);
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '{' && !inClass) {
                braces++;
            } else if (c == '}' && !inClass && braces > 0) {
                braces--;
            }
            cur.append(c);
        }
        add(out, cur);
        return List.copyOf(out);
    }

    private static void add(List<String> out, StringBuilder cur) {
        String glob = cur.toString().trim();
        if (!glob.isEmpty()) {
            out.add(glob);
        }
        cur.setLength(0);
    }

    /**
     * Connector options as text, sorted by name, without {@code null} or blank values: a blank value is an optional
     * route template parameter the user did not give ({@code source.crawlDepth={{?crawlDepth}}}), so "not set".
     */
    public static Map<String, String> textMap(Map<String, ?> raw) {
        Map<String, String> out = new TreeMap<>();
        if (raw != null) {
            raw.forEach((k, v) -> {
                if (v != null && !v.toString().isBlank()) {
                    out.put(k, v.toString());
                }
            });
        }
        return out;
    }

    /** A mutable copy that keeps insertion order. */
    public static Map<String, Object> copy(Map<String, Object> raw) {
        return raw == null ? new LinkedHashMap<>() : new LinkedHashMap<>(raw);
    }
}
