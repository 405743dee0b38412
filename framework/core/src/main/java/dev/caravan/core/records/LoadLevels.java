package dev.caravan.core.records;

import dev.caravan.api.record.TableDefinition;
import dev.caravan.api.record.TableStructure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The order a database's tables load in. A table Caravan created gets its foreign keys only after every table is
 * loaded, so it loads at once, in parallel with the others. A table that existed on the target keeps its own foreign
 * keys during the load (an append, a reload into the application's own schema): it loads only once the tables it
 * references (among those this run loads) have, or its rows would be refused for parents not there yet (seen: an
 * append of users and posts into PostgreSQL rejected both posts when posts loaded first). Levels: level 0 loads first;
 * a table that waits is one level above the highest it references. What a table references is what its foreign keys
 * on the target reference ({@link TableStructure#REFERENCES}, which a source without keys does not declare) and what
 * the source's definition says. A cycle of references is cut where it closes (the database then decides, as it
 * would for any order).
 */
final class LoadLevels {
    private LoadLevels() {
    }

    /**
     * The tables by level, in the given order within a level.
     *
     * @param tables       the tables this run loads
     * @param references   the tables a table's foreign keys reference ({@link #references})
     * @param keepsOwnKeys whether a table existed on the target (its foreign keys hold during the load)
     */
    static <T> List<List<T>> of(List<T> tables, Function<T, String> name,
            Function<T, Collection<String>> references, Predicate<T> keepsOwnKeys) {
        Map<String, T> byName = new HashMap<>();
        for (T t : tables) {
            byName.put(key(name.apply(t)), t);
        }
        Map<T, Integer> level = new HashMap<>();
        for (T t : tables) {
            levelOf(t, references, keepsOwnKeys, byName, level, new HashSet<>());
        }
        List<List<T>> out = new ArrayList<>();
        for (T t : tables) {
            int l = level.get(t);
            while (out.size() <= l) {
                out.add(new ArrayList<>());
            }
            out.get(l).add(t);
        }
        out.removeIf(List::isEmpty);
        return out;
    }

    /**
     * The tables that reference a failed table, directly or through other tables, each with the failed table it waits
     * for. Such a table must not load: a failed prepare step runs again when the run is taken up again, and a target
     * that empties linked tables together (the jdbc option {@code truncate=true}) would then empty the rows it loaded,
     * which the journal counts as done.
     *
     * @param failed whether a table's prepare step failed
     */
    static <T> Map<T, String> waitingFor(List<T> tables, Function<T, String> name,
            Function<T, Collection<String>> references, Predicate<T> failed) {
        Map<String, String> blockedBy = new HashMap<>(); // a table's key -> the failed table it waits for
        tables.stream().filter(failed).forEach(t -> blockedBy.put(key(name.apply(t)), name.apply(t)));
        Map<T, String> out = new java.util.LinkedHashMap<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (T t : tables) {
                if (blockedBy.containsKey(key(name.apply(t)))) {
                    continue;
                }
                for (String referenced : references.apply(t)) {
                    String cause = blockedBy.get(key(referenced));
                    if (cause != null) {
                        blockedBy.put(key(name.apply(t)), cause);
                        out.put(t, cause);
                        grew = true;
                        break;
                    }
                }
            }
        }
        return out;
    }

    /**
     * The tables a table references: those of the source's foreign keys ({@code definition}, {@code null}: none) and
     * those the target's own keys reference, as the sink's prepare step listed them ({@link TableStructure#REFERENCES}).
     */
    static Set<String> references(TableDefinition definition, Map<String, String> prepared) {
        Set<String> out = new HashSet<>();
        if (definition != null) {
            definition.foreignKeys().forEach(fk -> out.add(fk.referencedTable()));
        }
        String listed = prepared.get(TableStructure.REFERENCES);
        if (listed != null && !listed.isEmpty()) {
            out.addAll(List.of(listed.split("\n")));
        }
        return out;
    }

    private static <T> int levelOf(T t, Function<T, Collection<String>> references, Predicate<T> keepsOwnKeys,
            Map<String, T> byName, Map<T, Integer> level, Set<T> visiting) {
        Integer known = level.get(t);
        if (known != null) {
            return known;
        }
        int l = 0;
        if (keepsOwnKeys.test(t) && visiting.add(t)) {
            for (String referenced : references.apply(t)) {
                T parent = byName.get(key(referenced));
                if (parent != null && parent != t && !visiting.contains(parent)) { // a cycle is cut where it closes
                    l = Math.max(l, levelOf(parent, references, keepsOwnKeys, byName, level, visiting) + 1);
                }
            }
            visiting.remove(t);
        }
        level.put(t, l);
        return l;
    }

    /** A table's name as references name it: case-insensitive, without a schema or quotes. */
    private static String key(String table) {
        String n = table == null ? "" : table.replace("\"", "").replace("`", "");
        int dot = n.lastIndexOf('.');
        return (dot < 0 ? n : n.substring(dot + 1)).toLowerCase(Locale.ROOT);
    }
}
