package dev.caravan.connector.jdbc;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DescribedSource;
import dev.caravan.api.record.IncrementalSource;
import dev.caravan.api.record.RangeDigest;
import dev.caravan.api.record.RecordCapability;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.TableDefinition;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One table (or query) read as records. Splits are key ranges of equal width between the smallest and greatest
 * integer key (one split for other keys and for small tables); each is read by a {@link KeysetReader} (SQLite
 * tables: by a {@link SqliteFileReader}, from the database file). Keyless
 * relations are one split read by a {@link StreamReader}. Capabilities: {@link DescribedSource} (tables),
 * {@link IncrementalSource}, {@link RangeDigest} (PostgreSQL). Thread-safe.
 */
final class JdbcTableSource implements RecordSource, DescribedSource, IncrementalSource, RangeDigest {
    private final ConnectionFactory factory;
    private final Relation rel;
    private final boolean isTable;
    private final boolean ownsFactory;

    JdbcTableSource(ConnectionFactory factory, Relation rel, boolean isTable) {
        this(factory, rel, isTable, false);
    }

    private JdbcTableSource(ConnectionFactory factory, Relation rel, boolean isTable, boolean ownsFactory) {
        this.factory = factory;
        this.rel = rel;
        this.isTable = isTable;
        this.ownsFactory = ownsFactory;
    }

    /** This source as the owner of its connection factory: closing it closes the factory. */
    JdbcTableSource owning() {
        return new JdbcTableSource(factory, rel, isTable, true);
    }

    @Override
    public void close() {
        if (ownsFactory) {
            factory.close();
        }
    }

    /** Opens a table: resolves its name, introspects it. */
    static JdbcTableSource table(ConnectionFactory factory, String schema, String table) {
        try (Connection c = factory.open(false)) {
            Introspector in = new Introspector(c, factory.dialect());
            String s = in.schemaOrDefault(schema);
            String name = in.resolve(s, table).orElseThrow(() -> MigrationException.notFound("no table '" + table
                    + "' in " + (s == null ? "" : "schema " + s + " of ") + factory.maskedUrl()));
            TableModel model = in.describe(new TableRef(s, name), factory.settings().keyColumns());
            return new JdbcTableSource(factory, new Relation(factory.dialect(),
                    factory.dialect().qualified(model.ref()), model, null), true);
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "reading the structure of " + table);
        }
    }

    /** Opens a query as a derived table; its columns come from the result set metadata. */
    static JdbcTableSource query(ConnectionFactory factory, String query) {
        String from = "(" + query + ") caravan_q";
        try (Connection c = factory.open(false);
                PreparedStatement ps = c.prepareStatement("SELECT * FROM " + from + " WHERE 1 = 0");
                ResultSet rs = ps.executeQuery()) {
            var md = rs.getMetaData();
            List<ColumnInfo> cols = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                ColumnType type = factory.dialect().logicalType(md.getColumnType(i), md.getColumnTypeName(i),
                        md.getPrecision(i), md.getScale(i));
                int p = type == ColumnType.DECIMAL && md.getPrecision(i) <= 1000 ? md.getPrecision(i) : 0;
                cols.add(new ColumnInfo(new dev.caravan.api.record.Column(md.getColumnLabel(i), type,
                        md.getColumnTypeName(i), Math.max(p, 0), p > 0 ? Math.max(md.getScale(i), 0) : 0,
                        md.isNullable(i) != java.sql.ResultSetMetaData.columnNoNulls), false, null));
            }
            List<String> keys = factory.settings().keyColumns();
            TableModel model = new TableModel(new TableRef(null, "query"), cols, keys, List.of(), List.of(),
                    List.of());
            for (String k : keys) {
                if (model.column(k) == null) {
                    throw MigrationException.userConfig("keyColumn '" + k + "' is not a column of the query");
                }
            }
            return new JdbcTableSource(factory, new Relation(factory.dialect(), from, model, null), false);
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "preparing the query of " + factory.maskedUrl());
        }
    }

    TableModel model() {
        return rel.model();
    }

    @Override
    public Schema schema() {
        return rel.model().schema();
    }

    @Override
    public List<Split> splits(int parallelism) {
        String lowerBase = null;
        String upperBase = null;
        if (rel.window() != null && rel.keys().equals(List.of(rel.window().column()))) {
            lowerBase = rel.window().after();
            upperBase = rel.window().upTo();
        }
        if (rel.keys().isEmpty()) {
            return List.of(Split.whole());
        }
        Split single = new Split("0", lowerBase, upperBase);
        ColumnType kt = rel.keyTypes().get(0);
        if (parallelism <= 1 || rel.keys().size() != 1 || (kt != ColumnType.INT && kt != ColumnType.LONG)) {
            return List.of(single);
        }
        String k = factory.dialect().quote(rel.keys().get(0));
        Relation.Where where = rel.where(lowerBase, upperBase);
        long min;
        long max;
        // MIN and MAX of the key come from its index; no COUNT(*), which scans the whole table (seconds on a large
        // PostgreSQL table): the key span bounds the row count, and a split that finds few or no rows costs one query
        try (Connection c = factory.open(false);
                PreparedStatement ps = c.prepareStatement(keySpanSql(k, rel.from(), where.sql()))) {
            where.bind(factory.dialect(), ps, where.bind(factory.dialect(), ps, 1));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                min = rs.getLong(1);
                if (rs.wasNull()) {
                    return List.of(single);
                }
                max = rs.getLong(2);
            }
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "planning splits of " + rel.model().ref());
        }
        int batch = factory.settings().batchSize();
        BigInteger keySpan = BigInteger.valueOf(max).subtract(BigInteger.valueOf(min)).add(BigInteger.ONE);
        long rows = keySpan.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue(); // at most this many rows
        long wanted = Math.min(parallelism, Math.max(1, rows / Math.max(1, batch)));
        if (wanted <= 1) {
            return List.of(single);
        }
        BigInteger lo = BigInteger.valueOf(min).subtract(BigInteger.ONE);
        BigInteger span = BigInteger.valueOf(max).subtract(lo);
        BigInteger width = span.add(BigInteger.valueOf(wanted - 1)).divide(BigInteger.valueOf(wanted));
        List<Split> out = new ArrayList<>();
        String prev = lowerBase;
        for (int i = 0; i < wanted; i++) {
            String upper = i == wanted - 1 ? upperBase : lo.add(width.multiply(BigInteger.valueOf(i + 1))).toString();
            out.add(new Split(Integer.toString(i), prev, upper));
            prev = upper;
        }
        return out;
    }

    /**
     * The smallest and the largest key, each in a subquery of its own: SQLite reads a lone MIN or MAX from the index
     * but scans the whole table for {@code SELECT MIN(k), MAX(k)} (0.06 s per million rows); PostgreSQL, MariaDB and
     * H2 take either form from the index. The WHERE clause's placeholders appear twice (bind them twice).
     */
    static String keySpanSql(String quotedKey, String from, String where) {
        return "SELECT (SELECT MIN(" + quotedKey + ") FROM " + from + where + "), (SELECT MAX(" + quotedKey + ") FROM "
                + from + where + ")";
    }

    @Override
    public RecordReader open(Split split, Checkpoint from) {
        int batch = factory.settings().batchSize();
        if (rel.keys().isEmpty()) {
            return new StreamReader(factory, rel, batch, factory.settings().fetchSize());
        }
        if (SqliteFileReader.accepts(factory, rel, isTable)) {
            return new SqliteFileReader(factory, rel, split, from, batch);
        }
        return new KeysetReader(factory, rel, split, from, batch);
    }

    @Override
    public <C extends RecordCapability> Optional<C> capability(Class<C> type) {
        if (type == DescribedSource.class && !isTable
                || type == RangeDigest.class && (factory.dialect().digestFlavor() == null || rel.keys().isEmpty())) {
            return Optional.empty();
        }
        return RecordSource.super.capability(type);
    }

    @Override
    public TableDefinition definition() {
        if (!isTable) {
            throw MigrationException.unsupported("a query has no table definition");
        }
        return rel.model().definition(factory.dialect().name());
    }

    @Override
    public Optional<String> highWater(String column) {
        ColumnInfo col = rel.model().column(column);
        if (col == null) {
            throw MigrationException.userConfig("incremental column '" + column + "' is not a column of "
                    + rel.model().ref() + " (columns: " + TableModel.names(schema().columns()) + ")");
        }
        try (Connection c = factory.open(false);
                PreparedStatement ps = c.prepareStatement("SELECT MAX(" + factory.dialect().quote(column) + ") FROM "
                        + rel.from());
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            Object v = factory.dialect().read(rs, 1, col.type());
            return v == null ? Optional.empty() : Optional.of(KeyCodec.encode(new Object[] {v}));
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "reading the high-water mark of " + rel.model().ref() + "." + column);
        }
    }

    @Override
    public RecordSource window(String column, String after, String upTo) {
        ColumnInfo col = rel.model().column(column);
        if (col == null) {
            throw MigrationException.userConfig("incremental column '" + column + "' is not a column of "
                    + rel.model().ref());
        }
        return new JdbcTableSource(factory, new Relation(rel.dialect(), rel.from(), rel.model(),
                new Relation.Window(column, col.type(), after, upTo)), isTable);
    }

    @Override
    public String digestFlavor() {
        return factory.dialect().digestFlavor();
    }

    @Override
    public Summary summarize(Split range) {
        List<String> cols = rel.model().columns().stream().map(c -> factory.dialect().quote(c.name())).toList();
        Relation.Where where = rel.where(range.lowerBound(), range.upperBound());
        try (Connection c = factory.open(false);
                PreparedStatement ps = c.prepareStatement("SELECT " + factory.dialect().digestSelect(cols) + " FROM "
                        + rel.from() + where.sql())) {
            where.bind(factory.dialect(), ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Summary(rs.getLong(1), rs.getLong(1) + ":" + rs.getBigDecimal(2).toPlainString());
            }
        } catch (SQLException e) {
            throw JdbcErrors.translate(e, "computing the digest of " + rel.model().ref() + " " + range);
        }
    }
}
