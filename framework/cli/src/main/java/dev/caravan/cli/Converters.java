package dev.caravan.cli;

import dev.caravan.api.config.Config;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.CutoffMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters that reuse the parsers of the SPI ({@link Config#parseSize}, {@link Config#parseDuration}),
 * so {@code --max-size 10M} means exactly what {@code maxSize=10M} means in YAML. A bad value is a parameter
 * error: exit code 2 with a message naming the option.
 */
final class Converters {
    private Converters() {
    }

    /** {@code 1048576}, {@code 64k}, {@code 10M}, {@code 2G} (binary multiples). */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                long n = Config.parseSize(value);
                if (n < 0) {
                    throw new TypeConversionException("must not be negative: '" + value + "'");
                }
                return n;
            } catch (MigrationException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601. */
    static final class Age implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Config.parseDuration(value);
            } catch (MigrationException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code size-mtime}, {@code size} or {@code checksum} (underscores and upper case accepted too). */
    static final class CompareMode implements ITypeConverter<Compare> {
        @Override
        public Compare convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                return Compare.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected one of " + names() + ", got '" + value + "'");
            }
        }

        static String names() {
            return Arrays.stream(Compare.values()).map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", "));
        }
    }

    /** {@code hard}, {@code soft} or {@code cautious}, any case ({@link CutoffMode#parse}). */
    static final class Cutoff implements ITypeConverter<CutoffMode> {
        @Override
        public CutoffMode convert(String value) {
            try {
                return CutoffMode.parse(value);
            } catch (MigrationException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Completion candidates for {@code --cutoff-mode}. */
    static final class CutoffNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(CutoffMode.values()).map(CutoffMode::shown).iterator();
        }
    }

    /** Completion candidates and help text for {@code --compare}. */
    static final class CompareNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Compare.values()).map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .iterator();
        }
    }
}
