package dev.caravan.connector.jdbc;

import dev.caravan.api.error.MigrationException;
import dev.caravan.connector.jdbc.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jdbc target option {@code truncate=true} for the tables of one run: a table is emptied together with the run's
 * tables whose foreign keys reference it (and theirs, transitively), children first, in the statements of
 * {@link Dialect#emptyTables} (PostgreSQL: one {@code TRUNCATE a, b, c}; MariaDB: TRUNCATE with foreign key checks
 * off; H2, SQLite: DELETE), because no database empties a referenced parent alone. The statements of a group run in
 * one transaction; tables whose foreign keys form a cycle ({@code a -> b -> a}), which no order of DELETEs empties,
 * are emptied between {@link Dialect#beforeEmptyingCycle} and {@link Dialect#afterEmptyingCycle} (H2: referential
 * integrity off for those tables; SQLite: checks deferred to the commit). A table outside the run that
 * references one to empty is refused by {@link #refuseOutsideReferences} before anything is emptied: emptying would
 * fail, or (MariaDB) leave its rows pointing at nothing, and CASCADE would empty it without a word.
 *
 * <p>A table emptied with a linked one is not emptied again by its own prepare in the same process. Every prepare of
 * a run happens before its first row is loaded and is journaled once, and the records engine loads no table while a
 * table it references failed its prepare, so a resumed run empties only tables whose prepare had not finished and
 * none of whose linked tables loaded a row. Thread-safe.
 */
final class TableEmptier {
    private static final Logger LOG = LoggerFactory.getLogger(TableEmptier.class);

    /** What is done to each table of a group before it is emptied (keepReplaced keeps its rows). */
    interface BeforeEmptying {
        void accept(TableRef table) throws SQLException;
    }

    private final Dialect dialect;
    /** The target names of the run's tables (in the target schema); empty for a sink of one table. */
    private final Set<String> migrated;
    private final Set<TableRef> emptied = ConcurrentHashMap.newKeySet();

    TableEmptier(Dialect dialect, Set<String> migrated) {
        this.dialect = dialect;
        this.migrated = migrated;
    }

    /**
     * Refuses (USER_CONFIG, naming both tables) to empty {@code t} when a table outside the run references it or one
     * of the run's tables that reference it. Reads the catalog only.
     */
    void refuseOutsideReferences(Connection c, TableRef t) throws SQLException {
        group(c, t);
    }

    /**
     * Empties {@code t} and the run's tables that reference it, children first, unless this sink emptied {@code t}
     * already with a linked table. {@code before} runs for every table of the group first.
     */
    synchronized void empty(Connection c, TableRef t, BeforeEmptying before) throws SQLException {
        if (emptied.contains(t)) {
            LOG.info("{}: emptied already, with a table of the run that references it", t);
            return;
        }
        Group group = group(c, t);
        for (TableRef member : group.tables()) {
            before.accept(member);
        }
        List<String> sql = new ArrayList<>(group.cycle() ? dialect.beforeEmptyingCycle(group.tables()) : List.of());
        sql.addAll(dialect.emptyTables(group.tables()));
        inOneTransaction(c, sql, group.cycle() ? dialect.afterEmptyingCycle(group.tables()) : List.of());
        emptied.addAll(group.tables());
        if (group.tables().size() > 1) {
            LOG.info("emptied {} together: their foreign keys link them{}", group.tables(),
                    group.cycle() ? " in a cycle" : "");
        }
    }

    /**
     * Runs {@code statements} in one transaction (where the database can: MariaDB's TRUNCATE commits at once), then
     * {@code always}, also when one of them failed (they turn back on the checks the first turned off).
     */
    private static void inOneTransaction(Connection c, List<String> statements, List<String> always)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            try {
                for (String sql : statements) {
                    LOG.debug("{}", sql);
                    st.execute(sql);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                for (String sql : always) {
                    LOG.debug("{}", sql);
                    st.execute(sql);
                }
                c.commit();
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Tables to empty together, children before their parents, and whether their foreign keys form a cycle (then no
     * order empties them one by one).
     */
    private record Group(List<TableRef> tables, boolean cycle) {
    }

    /** {@code t} and the run's tables that reference it, transitively, children before their parents. */
    private Group group(Connection c, TableRef t) throws SQLException {
        Set<TableRef> out = new LinkedHashSet<>();
        boolean[] cycle = {false};
        visit(new Introspector(c, dialect), t, t, new LinkedHashSet<>(), out, cycle);
        return new Group(new ArrayList<>(out), cycle[0]);
    }

    private void visit(Introspector in, TableRef root, TableRef table, Set<TableRef> seen, Set<TableRef> out,
            boolean[] cycle) throws SQLException {
        if (!seen.add(table)) {
            cycle[0] |= !out.contains(table); // seen, not done: a table on the path that led here references it
            return;
        }
        for (Introspector.ForeignKeyRef k : in.referencingKeys(table)) {
            TableRef child = k.table();
            boolean same = Objects.equals(child.schema(), table.schema());
            if (same && child.name().equals(table.name())) {
                continue; // a self reference: emptied with the table
            }
            if (!same || !migrated.contains(child.name())) {
                throw MigrationException.userConfig("truncate=true would empty " + root + (table.equals(root) ? ""
                        : " and with it " + table) + ", which the foreign key " + k.name() + " of " + child
                        + " (" + String.join(", ", k.columns()) + ") references, and " + child + " is no table of this migration: include " + child
                        + " in the migration, drop its foreign key first, or load without truncate=true");
            }
            visit(in, root, child, seen, out, cycle);
        }
        out.add(table);
    }
}
