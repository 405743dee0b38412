package dev.caravan.api.config;

import dev.caravan.api.error.MigrationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Validated option values of one connector or component. Immutable. {@link #toString()} and {@link #masked()}
 * never reveal secrets.
 */
public final class Config {
    private final Options options;
    private final Map<String, String> values;

    Config(Options options, Map<String, String> values) {
        this.options = options;
        this.values = Map.copyOf(values);
    }

    public Options options() {
        return options;
    }

    public Optional<String> get(String name) {
        checkDeclared(name);
        return Optional.ofNullable(values.get(name));
    }

    public String string(String name) {
        return get(name).orElse(null);
    }

    public int intValue(String name, int fallback) {
        return get(name).map(Integer::parseInt).orElse(fallback);
    }

    public long longValue(String name, long fallback) {
        return get(name).map(Long::parseLong).orElse(fallback);
    }

    public boolean bool(String name) {
        return get(name).map(Boolean::parseBoolean).orElse(false);
    }

    public Optional<Duration> duration(String name) {
        return get(name).map(Config::parseDuration);
    }

    /** A size in bytes; accepts plain numbers and the suffixes k, M, G, T (binary: 1k = 1024). */
    public Optional<Long> size(String name) {
        return get(name).map(Config::parseSize);
    }

    public List<String> list(String name) {
        return get(name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** The values with every secret replaced by {@code ****}: safe for logs and reports. */
    public Map<String, String> masked() {
        Map<String, String> out = new LinkedHashMap<>();
        for (OptionDef def : options.list()) {
            String v = values.get(def.name());
            if (v != null) {
                out.put(def.name(), def.secret() ? "****" : v);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return options.owner() + masked();
    }

    private void checkDeclared(String name) {
        if (options.find(name).isEmpty()) {
            throw new IllegalArgumentException("option not declared by " + options.owner() + ": " + name);
        }
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT30S}). */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> Duration.ofSeconds(Long.parseLong(t));
            };
        } catch (RuntimeException e) {
            throw MigrationException.userConfig("not a duration: '" + text + "' (use 500ms, 30s, 5m, 2h, 1d or PT30S)");
        }
    }

    /** Parses {@code 1048576}, {@code 64k}, {@code 10M}, {@code 2G}, {@code 1T} (binary multiples). */
    public static long parseSize(String text) {
        String t = text.trim();
        try {
            char last = Character.toUpperCase(t.charAt(t.length() - 1));
            String digits = t;
            if (last == 'B' && t.length() > 1) {
                t = t.substring(0, t.length() - 1);
                last = Character.toUpperCase(t.charAt(t.length() - 1));
                digits = t;
            }
            if (last == 'I' && t.length() > 2) { // KiB, MiB ...
                t = t.substring(0, t.length() - 1);
                last = Character.toUpperCase(t.charAt(t.length() - 1));
                digits = t;
            }
            long mult = switch (last) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                case 'T' -> 1L << 40;
                default -> 1L;
            };
            if (mult > 1) {
                digits = t.substring(0, t.length() - 1);
            }
            return Math.round(Double.parseDouble(digits.trim()) * mult);
        } catch (RuntimeException e) {
            throw MigrationException.userConfig("not a size: '" + text + "' (use 1048576, 64k, 10M, 2G)");
        }
    }

    static String checkType(OptionDef def, String value) {
        try {
            switch (def.type()) {
                case INT -> Integer.parseInt(value.trim());
                case LONG -> Long.parseLong(value.trim());
                case BOOLEAN -> {
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        return "expected true or false, got '" + value + "'";
                    }
                }
                case DURATION -> parseDuration(value);
                case SIZE -> parseSize(value);
                case ENUM -> {
                    if (!def.allowed().isEmpty() && def.allowed().stream().noneMatch(a -> a.equalsIgnoreCase(value))) {
                        return "'" + value + "' is not one of " + def.allowed();
                    }
                }
                default -> {
                }
            }
            return null;
        } catch (NumberFormatException e) {
            return "expected a number, got '" + value + "'";
        } catch (MigrationException e) {
            return e.getMessage();
        }
    }
}
