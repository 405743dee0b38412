package dev.caravan.core.records;

import dev.caravan.api.record.TableDefinition;
import java.util.ArrayList;
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
 * a table that waits is one level above the highest it references. A cycle of references is cut where it closes
 * (the database then decides, as it would for any order).
 */
final class LoadLevels {
    private LoadLevels() {
    }

    /**
     * The tables by level, in the given order within a level.
     *
     * @param tables      the tables this run loads: name and source definition ({@code null}: none known)
     * @param keepsOwnKeys whether a table existed on the target (its foreign keys hold during the load)
     */
    static <T> List<List<T>> of(List<T> tables, Function<T, String> name,
            Function<T, TableDefinition> definition, Predicate<T> keepsOwnKeys) {
        Map<String, T> byName = new HashMap<>();
        for (T t : tables) {
            byName.put(key(name.apply(t)), t);
        }
        Map<T, Integer> level = new HashMap<>();
        for (T t : tables) {
            levelOf(t, name, definition, keepsOwnKeys, byName, level, new HashSet<>());
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

    private static <T> int levelOf(T t, Function<T, String> name,
            Function<T, TableDefinition> definition, Predicate<T> keepsOwnKeys, Map<String, T> byName,
            Map<T, Integer> level, Set<T> visiting) {
        Integer known = level.get(t);
        if (known != null) {
            return known;
        }
        int l = 0;
        TableDefinition d = definition.apply(t);
        if (d != null && keepsOwnKeys.test(t) && visiting.add(t)) {
            for (TableDefinition.ForeignKey fk : d.foreignKeys()) {
                T parent = byName.get(key(fk.referencedTable()));
                if (parent != null && parent != t && !visiting.contains(parent)) { // a cycle is cut where it closes
                    l = Math.max(l, levelOf(parent, name, definition, keepsOwnKeys, byName, level, visiting) + 1);
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
