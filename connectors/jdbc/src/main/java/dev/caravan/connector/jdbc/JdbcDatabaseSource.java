package dev.caravan.connector.jdbc;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.SourceTables;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.TableDefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whole database as a source: the tables matching include/exclude, ordered so that referenced tables come before
 * the tables whose foreign keys point at them (Kahn's algorithm; cycles are appended in name order). It is not a
 * table itself: use {@link SourceTables}. Thread-safe.
 */
final class JdbcDatabaseSource implements RecordSource, SourceTables {
    private final ConnectionFactory factory;

    JdbcDatabaseSource(ConnectionFactory factory) {
        this.factory = factory;
    }

    @Override
    public List<String> tables() {
        JdbcSettings s = factory.settings();
        TableFilter filter = new TableFilter(s.include(), s.exclude());
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        try (Connection c = factory.open(false)) {
            Introspector in = new Introspector(c, factory.dialect());
            String schema = in.schemaOrDefault(s.schema());
            List<String> all = in.tables(schema);
            List<String> unmatched = filter.unmatchedNames(s.include(), all);
            if (!unmatched.isEmpty()) {
                throw MigrationException.userConfig("no table " + String.join(", ", unmatched.stream()
                        .map(n -> "'" + n + "'").toList()) + " in " + factory.maskedUrl() + (schema == null ? ""
                        : " (schema " + schema + ")") + "; its tables: " + String.join(", ", all.size() <= 30 ? all
                        : all.subList(0, 30)) + (all.size() > 30 ? ", ..." : ""));
            }
            for (String t : all) {
                if (filter.accepts(t)) {
                    parents.put(t, new LinkedHashSet<>());
                }
            }
            for (var e : parents.entrySet()) {
                TableModel m = in.describe(new TableRef(schema, e.getKey()), List.of());
                for (TableDefinition.ForeignKey fk : m.foreignKeys()) {
                    if (parents.containsKey(fk.referencedTable()) && !fk.referencedTable().equals(e.getKey())) {
                        e.getValue().add(fk.referencedTable());
                    }
                }
            }
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "listing the tables of " + factory.maskedUrl());
        }
        return order(parents);
    }

    /** Parents first; ties and cycles in name order. */
    static List<String> order(Map<String, Set<String>> parents) {
        List<String> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        List<String> names = new ArrayList<>(parents.keySet());
        names.sort(null);
        boolean progress = true;
        while (done.size() < names.size()) {
            if (!progress) { // a cycle: take the first remaining table
                String next = names.stream().filter(n -> !done.contains(n)).findFirst().orElseThrow();
                done.add(next);
                out.add(next);
            }
            progress = false;
            for (String n : names) {
                if (!done.contains(n) && done.containsAll(parents.get(n))) {
                    done.add(n);
                    out.add(n);
                    progress = true;
                }
            }
        }
        return out;
    }

    @Override
    public RecordSource table(String name) {
        return JdbcTableSource.table(factory, factory.settings().schema(), name);
    }

    @Override
    public void close() {
        factory.close();
    }

    @Override
    public Schema schema() {
        throw notATable();
    }

    @Override
    public List<Split> splits(int parallelism) {
        throw notATable();
    }

    @Override
    public RecordReader open(Split split, Checkpoint from) {
        throw notATable();
    }

    private MigrationException notATable() {
        return MigrationException.userConfig("the jdbc source " + factory.maskedUrl() + " is a whole database; set "
                + "the 'table' or 'query' option to read one table, or migrate every table of it");
    }
}
