package dev.caravan.cli;

import dev.caravan.core.plan.Filters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The filter options shared by {@code copy}, {@code sync}, {@code move} and {@code verify}. */
public final class FilterOptions {

    @Option(names = "--include", paramLabel = "GLOB",
            description = "Only keys matching a glob (repeatable). A glob without / matches the file name at any "
                    + "depth (*.csv); with / it is anchored at the root (logs/**).")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip keys matching a glob (repeatable).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--min-size", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Only objects of at least this size (e.g. 1k, 10M).")
    Long minSize;

    @Option(names = "--max-size", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Only objects of at most this size.")
    Long maxSize;

    @Option(names = "--min-age", paramLabel = "AGE", converter = Converters.Age.class,
            description = "Only objects modified at least this long ago (e.g. 30m, 7d).")
    Duration minAge;

    @Option(names = "--max-age", paramLabel = "AGE", converter = Converters.Age.class,
            description = "Only objects modified at most this long ago.")
    Duration maxAge;

    /** The filters, or {@link Filters#NONE} when no option was given. */
    public Filters toFilters() {
        if (include.isEmpty() && exclude.isEmpty() && minSize == null && maxSize == null && minAge == null
                && maxAge == null) {
            return Filters.NONE;
        }
        return new Filters(include, exclude, minSize == null ? -1 : minSize, maxSize == null ? -1 : maxSize, minAge,
                maxAge);
    }
}
