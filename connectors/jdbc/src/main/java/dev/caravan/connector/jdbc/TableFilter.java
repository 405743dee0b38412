package dev.caravan.connector.jdbc;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Include/exclude globs ({@code *}, {@code ?}; case-insensitive) over table names. Immutable. */
final class TableFilter {
    private final List<Pattern> include;
    private final List<Pattern> exclude;

    TableFilter(List<String> include, List<String> exclude) {
        this.include = include.stream().map(TableFilter::glob).toList();
        this.exclude = exclude.stream().map(TableFilter::glob).toList();
    }

    boolean accepts(String table) {
        String t = table.toLowerCase(Locale.ROOT);
        return (include.isEmpty() || include.stream().anyMatch(p -> p.matcher(t).matches()))
                && exclude.stream().noneMatch(p -> p.matcher(t).matches());
    }

    /**
     * The include names without a wildcard that match none of {@code tables}: a misspelt name would otherwise select
     * nothing and the migration end "complete" having done nothing.
     */
    List<String> unmatchedNames(List<String> includeNames, List<String> tables) {
        return includeNames.stream().filter(n -> n.indexOf('*') < 0 && n.indexOf('?') < 0)
                .filter(n -> tables.stream().noneMatch(t -> t.equalsIgnoreCase(n))).toList();
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
