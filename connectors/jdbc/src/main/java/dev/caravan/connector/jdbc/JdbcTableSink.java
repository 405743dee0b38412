package dev.caravan.connector.jdbc;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.ReadBack;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.ResumableSink;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.TableDefinition;
import dev.caravan.api.record.TableStructure;
import dev.caravan.connector.jdbc.JdbcSettings.Load;
import dev.caravan.connector.jdbc.JdbcSettings.Mode;
import dev.caravan.connector.jdbc.JdbcSettings.WriteMethod;
import dev.caravan.connector.jdbc.dialect.PostgresDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target table. Prepares it per {@code mode} ({@link TableStructure}), writes with COPY (PostgreSQL, append) or
 * batched INSERTs/upserts, deletes what an interrupted split wrote after its checkpoint ({@link ResumableSink}),
 * adds indexes, identity restarts and foreign keys after the load, and reads itself back for verification
 * ({@link ReadBack}). Thread-safe: each writer has its own connection.
 */
final class JdbcTableSink implements RecordSink, TableStructure, ResumableSink, ReadBack {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcTableSink.class);
    /** Prepare state: the sink created the table. */
    static final String CREATED = "jdbc.created";
    /** Prepare state: the primary key is added by finish. */
    static final String DEFERRED_KEY = "jdbc.deferredPrimaryKey";

    private final ConnectionFactory factory;
    private final JdbcSettings settings;
    private final String sourceTable;
    private final String targetName;
    private final RejectLog rejects;
    private final boolean standalone;
    /** The target names of the migration's tables (those of a database sink, shared; empty when standalone). */
    private final Set<String> migrated;
    /** Empties the run's tables for truncate=true, linked ones together (shared by a database sink's tables). */
    private final TableEmptier emptier;
    private volatile TableRef target;
    private volatile boolean prepared;
    /** The target's DECIMAL bounds, read by the first writer ({@link #decimalBounds}). */
    private volatile DecimalBounds decimals;
    /** Splits whose rows are upserted rather than deleted and written again (see {@link #discardAfter}). */
    private final Set<String> rewritten = ConcurrentHashMap.newKeySet();

    /**
     * @param sourceTable the source table's name (for column renames), or {@code null} to take the schema's name
     * @param targetName  the table to write, before resolution against existing tables
     * @param standalone  a sink opened on one table by the user: its name is matched against existing tables
     *                    case-insensitively, and it owns (closes) the reject log
     * @param migrated    the target names of every table of the migration (this one included), in the target schema
     * @param emptier     empties the tables of the migration ({@code truncate=true}), shared by them
     */
    JdbcTableSink(ConnectionFactory factory, String sourceTable, String targetName, RejectLog rejects,
            boolean standalone, Set<String> migrated, TableEmptier emptier) {
        this.factory = factory;
        this.settings = factory.settings();
        this.sourceTable = sourceTable;
        this.targetName = targetName;
        this.rejects = rejects;
        this.standalone = standalone;
        this.migrated = migrated;
        this.emptier = emptier;
    }

    private String source(Schema schema) {
        return sourceTable != null ? sourceTable : schema.name();
    }

    private Ddl ddl(Schema schema) {
        return new Ddl(factory.dialect(), settings.typeRules(), settings.renames(), source(schema));
    }

    /** The target table, its schema resolved (the connection's default when none is configured). */
    TableRef target() {
        TableRef t = target;
        if (t == null) {
            try (Connection c = factory.open(false)) {
                Introspector in = new Introspector(c, factory.dialect());
                String schema = in.schemaOrDefault(settings.writeSchema());
                String name = standalone ? in.resolve(schema, targetName).orElse(targetName) : targetName;
                t = new TableRef(schema, name);
                target = t;
            } catch (SQLException e) {
                throw JdbcErrors.translate(e, "resolving the target table " + targetName);
            }
        }
        return t;
    }

    private boolean exists(Connection c, TableRef t) throws SQLException {
        return new Introspector(c, factory.dialect()).tables(t.schema()).contains(t.name());
    }

    @Override
    public String preview(Schema schema, TableDefinition definition) {
        TableRef t = target();
        boolean replace = settings.mode() == Mode.REPLACE;
        String kept = settings.keepReplaced() && (replace || settings.truncate())
                ? KeptRows.preview(factory.dialect(), t, replace) : "";
        if (settings.load() == Load.DATA) {
            List<String> identity = Ddl.identityColumns(schema, definition);
            return kept + "-- load=data: rows are loaded into the existing table " + t + "; nothing is created or altered"
                    + (identity.isEmpty() ? "" : "\n-- identity column " + String.join(", ", settings.renames()
                            .columns(source(schema), identity)) + " restarts after the loaded rows");
        }
        Ddl ddl = ddl(schema);
        boolean defer = deferPrimaryKey();
        List<String> all = new ArrayList<>(ddl.createTable(t, schema, definition, !defer));
        if (defer) {
            all.addAll(ddl.addPrimaryKey(t, schema, definition));
        }
        all.addAll(ddl.indexes(t, schema, definition));
        ddl.foreignKeys(t, schema, definition).forEach(s -> all.add(s.sql()));
        return kept + String.join(";\n", all) + ";" + (settings.load() == Load.SCHEMA
                ? "\n-- load=schema: the structure only, no rows are copied" : "");
    }

    /** The primary key waits for the end of the load where the dialect allows it, unless upserts need it. */
    private boolean deferPrimaryKey() {
        return factory.dialect().deferPrimaryKey() && settings.mode() != Mode.UPSERT;
    }

    /**
     * Refused before anything is written: a target that refuses the connection (credentials, unknown database: as the
     * warm-up found, said once for the run rather than by every table), table and column names longer than the target
     * keeps, a key that cannot fit the target's index key limit, a column whose declared type the target cannot hold
     * and no {@code typeMapping} rule maps ({@link dev.caravan.connector.jdbc.dialect.Dialect#unfit}), a
     * {@code typeMapping} target type the target does not know
     * ({@link dev.caravan.connector.jdbc.dialect.Dialect#knowsType}), and a replace that would drop what is no
     * part of the migration with the table ({@link TargetStructure#refuseDroppingOthers}) or a {@code truncate=true} of
     * a table that a table outside the migration references ({@link TableEmptier#refuseOutsideReferences}).
     */
    @Override
    public void check(Schema schema, TableDefinition definition) {
        check(schema, definition, false);
    }

    @Override
    public void check(Schema schema, TableDefinition definition, boolean keepExisting) {
        factory.requireAccepted();
        Ddl ddl = ddl(schema);
        ddl.checkNames(targetName, schema, !standalone);
        ddl.keyLengths(schema, definition);
        boolean replacing = settings.mode() == Mode.REPLACE && !keepExisting;
        Map<String, String> ruled = settings.typeRules().isEmpty() ? Map.of() : ddl.ruleTypes(schema, definition);
        for (Column col : schema.columns()) {
            String unfit = ruled.containsKey(col.name()) ? null
                    : factory.dialect().unfit(col, source(schema) + "." + col.name());
            if (unfit != null) {
                throw MigrationException.userConfig(unfit);
            }
        }
        boolean mustExist = !settings.createsTables() && !replacing;
        boolean emptying = settings.truncate() && !keepExisting && !replacing;
        if (replacing || !ruled.isEmpty() || mustExist || emptying) {
            TableRef t = target();
            try (Connection c = factory.open(false)) {
                if (mustExist) {
                    new TargetStructure(c, factory.dialect(), t).requireLoadable(targetTable(schema).columns(),
                            settings.load() == Load.DATA ? "load=data loads into existing tables only"
                                    : "createTables is off", settings.load() == Load.DATA ? "create the tables first "
                                    + "(load=schema creates those of the migration) or use load=all"
                                    : "create it or drop createTables=false");
                }
                for (Map.Entry<String, String> e : ruled.entrySet()) {
                    if (!factory.dialect().knowsType(c, e.getValue())) {
                        throw MigrationException.userConfig("typeMapping gives column " + source(schema) + "."
                                + e.getKey() + " the type '" + e.getValue() + "', which " + factory.dialect()
                                .displayName() + " does not know: correct the rule's target type");
                    }
                }
                if (replacing && exists(c, t)) {
                    new TargetStructure(c, factory.dialect(), t).refuseDroppingOthers(migrated);
                }
                if (emptying && exists(c, t)) {
                    emptier.refuseOutsideReferences(c, t);
                }
            } catch (SQLException e) {
                throw JdbcErrors.translate(e, "reading the structure of " + t);
            }
        }
    }

    @Override
    public Map<String, String> prepare(Schema schema, TableDefinition definition, boolean keepExisting) {
        return prepare(schema, definition, keepExisting, null, true);
    }

    @Override
    public Map<String, String> prepare(Schema schema, TableDefinition definition, boolean keepExisting,
            String runId) {
        return prepare(schema, definition, keepExisting, runId, true);
    }

    /**
     * @param runId    names the kept rows of the table (keepReplaced); {@code null} outside a run
     * @param mayDefer whether a finish step will follow (the engine's); a lazily prepared table is complete
     */
    private synchronized Map<String, String> prepare(Schema schema, TableDefinition definition, boolean keepExisting,
            String runId, boolean mayDefer) {
        check(schema, definition, true); // the drop's dependents are checked below, on this connection
        TableRef t = target();
        Map<String, String> state = new HashMap<>();
        try (Connection c = factory.open(true)) {
            List<String> ddl = new ArrayList<>();
            if (settings.writeSchema() != null) {
                factory.dialect().createSchema(settings.writeSchema()).ifPresent(ddl::add);
            }
            boolean exists = exists(c, t);
            boolean replace = settings.mode() == Mode.REPLACE && !keepExisting;
            if (exists && replace) { // checked while planning too; what changed since is refused here
                new TargetStructure(c, factory.dialect(), t).refuseDroppingOthers(migrated);
            }
            boolean keep = settings.keepReplaced() && !keepExisting && (replace || settings.truncate());
            if (keep) {
                KeptRows.keep(c, factory.dialect(), t, KeptRows.stamp(runId), exists, state);
            }
            if (exists && replace) { // the keys of the run's tables that reference it are added again after the load
                ddl.addAll(new TargetStructure(c, factory.dialect(), t).dropMigratedReferences(migrated));
                ddl.addAll(factory.dialect().withoutForeignKeyChecks(List.of(factory.dialect().dropTable(t))));
                exists = false;
            }
            if (!exists) {
                if (!settings.createsTables()) {
                    throw MigrationException.notFound("target table " + t + " does not exist and "
                            + (settings.load() == Load.DATA ? "load=data creates nothing" : "createTables is off"));
                }
                boolean defer = mayDefer && deferPrimaryKey() && !Ddl.primaryKey(schema, definition).isEmpty();
                ddl.addAll(ddl(schema).createTable(t, schema, definition, !defer));
                state.put(CREATED, "true");
                if (defer) {
                    state.put(DEFERRED_KEY, "true");
                }
            } else {
                state.put(TableStructure.EXISTED, "true"); // its foreign keys hold during the load
                List<String> parents = ExistingForeignKeys.of(c, factory.dialect(), t).parents().stream()
                        .filter(p -> !p.equals(t.name())).map(settings.renames()::sourceTable).toList();
                if (!parents.isEmpty()) {
                    state.put(TableStructure.REFERENCES, String.join("\n", parents));
                }
            }
            run(c, ddl);
            if (state.containsKey(TableStructure.EXISTED) && settings.truncate() && !keepExisting) {
                emptier.empty(c, t, linked -> { // the linked tables' rows are kept before any is emptied
                    if (keep && !linked.equals(t)) {
                        KeptRows.keep(c, factory.dialect(), linked, KeptRows.stamp(runId), true, new HashMap<>());
                    }
                });
            }
            prepared = true;
            return state;
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "preparing the target table " + t);
        }
    }

    @Override
    public void finish(Schema schema, TableDefinition definition, Map<String, String> preparedState) {
        TableRef t = target();
        try (Connection c = factory.open(true)) {
            if (settings.load() != Load.DATA) { // data only: the identity restart below is all
                if ("true".equals(preparedState.get(DEFERRED_KEY))
                        && !new Introspector(c, factory.dialect()).hasPrimaryKey(t)) {
                    run(c, ddl(schema).addPrimaryKey(t, schema, definition));
                }
                Set<String> existing = new Introspector(c, factory.dialect()).indexNames(t);
                for (Ddl.NamedStatement ix : ddl(schema).namedIndexes(t, schema, definition)) {
                    if (!existing.contains(ix.name())) { // a rerun finds the indexes of the first run
                        run(c, List.of(ix.sql()));
                    }
                }
            }
            for (String id : Ddl.identityColumns(schema, definition)) {
                restartIdentity(c, t, settings.renames().column(source(schema), id));
            }
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "creating indexes of " + t);
        }
    }

    /** After the loaded rows; only an identity column (H2 would make a plain one an identity, copying the table). */
    private void restartIdentity(Connection c, TableRef t, String column) throws SQLException {
        ColumnInfo target = new Introspector(c, factory.dialect()).describe(t, List.of()).column(column);
        if (target == null || !target.identity()) {
            LOG.info("{}.{} is no identity column on the target: nothing to restart", t, column);
            return;
        }
        long next;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX("
                + factory.dialect().quote(column) + ") FROM " + factory.dialect().qualified(t))) {
            rs.next();
            long max = rs.getLong(1);
            next = rs.wasNull() ? 1 : max + 1;
        }
        try {
            run(c, factory.dialect().restartIdentity(t, column, next));
        } catch (SQLException e) {
            // a table we did not create may have a serial instead of an identity
            LOG.warn("could not restart the identity of {}.{} at {}: {}", t, column, next, JdbcErrors.message(e));
        }
    }

    @Override
    public void addForeignKeys(Schema schema, TableDefinition definition) {
        TableRef t = target();
        List<Ddl.NamedStatement> fks = ddl(schema).foreignKeys(t, schema, definition);
        if (fks.isEmpty() || settings.load() == Load.DATA) {
            return;
        }
        try (Connection c = factory.open(true)) {
            ExistingForeignKeys existing = ExistingForeignKeys.of(c, factory.dialect(), t);
            for (Ddl.NamedStatement fk : fks) {
                // by name (a rerun), or by what it ties (the target's own key under another name: a table appended to)
                if (!existing.names().contains(fk.name()) && !existing.shapes().contains(fk.shape())) {
                    run(c, List.of(fk.sql()));
                }
            }
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "adding foreign keys to " + t);
        }
    }

    @Override
    public boolean loadsRows() {
        return settings.load() != Load.SCHEMA;
    }

    @Override
    public List<String> structureDifferences(Schema schema, TableDefinition definition) {
        TableRef t = target();
        try (Connection c = factory.open(false)) {
            return new TargetStructure(c, factory.dialect(), t).differences(ddl(schema), settings.renames(),
                    source(schema), schema, definition, !standalone);
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "reading the structure of " + t);
        }
    }

    private void run(Connection c, List<String> statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                LOG.debug("{}: {}", factory.maskedUrl(), sql);
                st.execute(sql);
            }
        }
    }

    @Override
    public RecordWriter open(Schema schema, Split split) {
        if (!loadsRows()) {
            throw MigrationException.userConfig("the jdbc sink " + target() + " has load=schema and writes no rows;"
                    + " use load=all or load=data to write them");
        }
        if (!prepared) {
            synchronized (this) {
                if (!prepared) {
                    prepare(schema, null, false, null, false);
                }
            }
        }
        TargetTable table = targetTable(schema).withDecimals(decimalBounds(schema));
        if (settings.mode() == Mode.UPSERT || rewritten.contains(split.id())) {
            if (table.keys().isEmpty()) {
                throw MigrationException.userConfig("mode upsert needs a key, and " + schema.name() + " has none; "
                        + "set keyColumn on the source");
            }
            return new InsertWriter(factory, table, rejects, true);
        }
        boolean pg = factory.dialect() instanceof PostgresDialect;
        if (settings.writeMethod() == WriteMethod.COPY && !pg) {
            throw MigrationException.userConfig("writeMethod copy needs a PostgreSQL target; use auto or insert");
        }
        return pg && settings.writeMethod() != WriteMethod.INSERT ? new CopyWriter(factory, table, rejects)
                : new InsertWriter(factory, table, rejects, false);
    }

    TargetTable targetTable(Schema schema) {
        String src = source(schema);
        List<String> cols = schema.columns().stream().map(c -> settings.renames().column(src, c.name())).toList();
        List<ColumnType> types = schema.columns().stream().map(Column::type).toList();
        int[] keyIdx = schema.keyColumns().stream().mapToInt(schema::indexOf).toArray();
        return new TargetTable(target(), src, cols, types, settings.renames().columns(src, schema.keyColumns()),
                keyIdx, DecimalBounds.NONE);
    }

    /**
     * The declared precision and scale of the target's DECIMAL columns, read once the table exists (the first writer
     * reads them; the table is not altered while it is loaded).
     */
    private DecimalBounds decimalBounds(Schema schema) {
        DecimalBounds b = decimals;
        if (b == null) {
            TargetTable tt = targetTable(schema);
            try (Connection c = factory.open(false)) {
                b = DecimalBounds.of(new Introspector(c, factory.dialect()).describe(tt.ref(), List.of()), tt.columns(),
                        factory.dialect().exactDecimalDigits());
                decimals = b;
            } catch (SQLException e) {
                throw JdbcErrors.translate(e, "reading the column types of " + tt.ref());
            }
        }
        return b;
    }

    @Override
    public void discardAfter(Schema schema, Split split, String lastKey) {
        if (settings.mode() == Mode.UPSERT) {
            return; // re-applying rows is idempotent; deleting could remove rows of earlier runs
        }
        TableRef t = target();
        Relation rel = targetTable(schema).relation(factory.dialect(), schema);
        if (rel.keys().isEmpty()) {
            if (settings.mode() != Mode.REPLACE && !settings.truncate()) {
                throw new MigrationException(ErrorKind.UNSUPPORTED, "cannot resume " + t + " safely: it has no key "
                        + "and mode append keeps existing rows; rerun with mode replace or truncate=true, or set "
                        + "keyColumn");
            }
            lastKey = null;
        }
        Relation.Where where = rel.where(lastKey != null ? lastKey : split.lowerBound(), split.upperBound());
        try (Connection c = factory.open(true)) {
            if (!rel.keys().isEmpty() && new Introspector(c, factory.dialect()).referenced(t)) {
                // foreign keys point here: the table is complete from an earlier run (they are added after every
                // table is loaded) or was not ours. Deleting would fail or cascade into the referencing tables, so
                // the split's rows are upserted by key instead: rows already there are rewritten with the same
                // values and nothing else changes.
                rewritten.add(split.id());
                LOG.info("{} split {}: foreign keys reference the table; its rows are upserted by key instead of"
                        + " removed and written again", t, split.id());
                return;
            }
            delete(c, t, split, where, lastKey);
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "removing rows after the checkpoint in " + t);
        }
    }

    private void delete(Connection c, TableRef t, Split split, Relation.Where where, String lastKey)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + factory.dialect().qualified(t)
                + where.sql())) {
            where.bind(factory.dialect(), ps, 1);
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.info("{} split {}: removed {} rows an earlier attempt wrote after key {}", t, split.id(), n,
                        lastKey != null ? lastKey : split.lowerBound() == null ? "-inf" : split.lowerBound());
            }
        }
    }

    @Override
    public RecordSource readBack(Schema schema) {
        TargetTable tt = targetTable(schema);
        try (Connection c = factory.open(false)) {
            TableModel actual = new Introspector(c, factory.dialect()).describe(tt.ref(), List.of());
            List<ColumnInfo> cols = new ArrayList<>();
            for (String name : tt.columns()) {
                ColumnInfo ci = actual.column(name);
                if (ci == null) {
                    throw MigrationException.notFound("column " + name + " missing in " + tt.ref());
                }
                cols.add(ci);
            }
            TableModel m = actual.withColumns(cols, tt.keys());
            return new JdbcTableSource(factory, new Relation(factory.dialect(), factory.dialect().qualified(tt.ref()),
                    m, null), true);
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "reading the structure of " + tt.ref());
        }
    }

    @Override
    public void close() {
        // connections belong to writers and operations; a table of a database sink shares its reject log
        if (standalone) {
            rejects.close();
            factory.close();
        }
    }
}
