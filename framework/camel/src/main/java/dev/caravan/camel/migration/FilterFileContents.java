package dev.caravan.camel.migration;

import dev.caravan.core.plan.FilterFiles;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.ListedKeys;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the filter files of a {@code caravan:} endpoint hold ({@code includeFrom}, {@code excludeFrom},
 * {@code filesFrom}; see {@link FilterFiles}), read once when its route starts and reused by its exchanges as long as
 * they name the same files. Immutable.
 *
 * @param includeFrom the file of include globs, or {@code null}
 * @param excludeFrom the file of exclude globs, or {@code null}
 * @param filesFrom   the file of keys, or {@code null}
 * @param include     the globs of {@code includeFrom}
 * @param exclude     the globs of {@code excludeFrom}
 * @param keys        the keys of {@code filesFrom}, or {@code null}
 */
record FilterFileContents(String includeFrom, String excludeFrom, String filesFrom, List<String> include,
        List<String> exclude, ListedKeys keys) {

    FilterFileContents {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    /** Reads the files named ({@code null}: none); USER_CONFIG naming file and line on bad input. */
    static FilterFileContents read(String includeFrom, String excludeFrom, String filesFrom) {
        InputStream noStdin = InputStream.nullInputStream(); // a route has no terminal: '-' reads nothing
        return new FilterFileContents(includeFrom, excludeFrom, filesFrom,
                includeFrom == null ? List.of() : FilterFiles.globs("includeFrom", includeFrom, noStdin),
                excludeFrom == null ? List.of() : FilterFiles.globs("excludeFrom", excludeFrom, noStdin),
                filesFrom == null ? null : FilterFiles.keys("filesFrom", filesFrom, noStdin));
    }

    /** Whether these are the contents of exactly these files. */
    boolean readFrom(String includeFile, String excludeFile, String keysFile) {
        return Objects.equals(includeFrom, includeFile) && Objects.equals(excludeFrom, excludeFile)
                && Objects.equals(filesFrom, keysFile);
    }

    /** {@code filters} with these globs added and this list of keys. */
    Filters addTo(Filters filters) {
        List<String> includes = new ArrayList<>(filters.include());
        includes.addAll(include);
        List<String> excludes = new ArrayList<>(filters.exclude());
        excludes.addAll(exclude);
        return new Filters(includes, excludes, filters.minSize(), filters.maxSize(), filters.minAge(),
                filters.maxAge(), keys);
    }
}
