package dev.caravan.cli;

import dev.caravan.api.error.MigrationException;
import dev.caravan.core.plan.FilterFiles;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.ListedKeys;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** The filter options shared by {@code copy}, {@code sync}, {@code move} and {@code verify}. */
public final class FilterOptions {

    @Option(names = "--include", paramLabel = "GLOB",
            description = "Only keys matching a glob (repeatable). A glob without / matches the file name at any "
                    + "depth (*.csv); with / it is anchored at the root (logs/**).")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip keys matching a glob (repeatable).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--include-from", paramLabel = "FILE",
            description = "Read --include globs from a file, one a line; blank lines and lines starting with # are "
                    + "ignored; - reads standard input (repeatable).")
    List<String> includeFrom = new ArrayList<>();

    @Option(names = "--exclude-from", paramLabel = "FILE",
            description = "Read --exclude globs from a file, as --include-from (repeatable).")
    List<String> excludeFrom = new ArrayList<>();

    @Option(names = "--files-from", paramLabel = "FILE",
            description = "Only the keys listed in a file, one key relative to the source a line (# comments and "
                    + "blank lines ignored); - reads standard input (repeatable: the lists are joined).")
    List<String> filesFrom = new ArrayList<>();

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

    /**
     * The filters, or {@link Filters#NONE} when no option was given. The files of {@code --include-from},
     * {@code --exclude-from} and {@code --files-from} are read here (standard input for {@code -}, at most once); bad
     * input fails with {@code USER_CONFIG} naming the file and line.
     */
    public Filters toFilters() {
        return toFilters(System.in);
    }

    /** As {@link #toFilters()}, with {@code stdin} as what {@code -} reads. */
    Filters toFilters(InputStream stdin) {
        if (include.isEmpty() && exclude.isEmpty() && includeFrom.isEmpty() && excludeFrom.isEmpty()
                && filesFrom.isEmpty() && minSize == null && maxSize == null && minAge == null && maxAge == null) {
            return Filters.NONE;
        }
        long dashes = Stream.of(includeFrom, excludeFrom, filesFrom).flatMap(List::stream)
                .filter(FilterFiles.STDIN::equals).count();
        if (dashes > 1) {
            throw MigrationException.userConfig("standard input (-) can be read by one of --include-from, "
                    + "--exclude-from and --files-from only, once");
        }
        List<String> includes = new ArrayList<>(include);
        includeFrom.forEach(file -> includes.addAll(FilterFiles.globs("--include-from", file, stdin)));
        List<String> excludes = new ArrayList<>(exclude);
        excludeFrom.forEach(file -> excludes.addAll(FilterFiles.globs("--exclude-from", file, stdin)));
        ListedKeys listed = null;
        if (!filesFrom.isEmpty()) {
            List<String> keys = new ArrayList<>();
            filesFrom.forEach(file -> keys.addAll(FilterFiles.keys("--files-from", file, stdin).keys()));
            listed = ListedKeys.of(keys, String.join(", ", filesFrom));
        }
        return new Filters(includes, excludes, minSize == null ? -1 : minSize, maxSize == null ? -1 : maxSize, minAge,
                maxAge, listed);
    }
}
