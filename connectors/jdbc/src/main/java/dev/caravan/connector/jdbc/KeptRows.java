package dev.caravan.connector.jdbc;

import dev.caravan.api.record.TableStructure;
import dev.caravan.connector.jdbc.dialect.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jdbc target option {@code keepReplaced}: before a table is dropped (mode replace) or emptied (truncate), its
 * rows are copied into a kept table of the same schema, {@code <table>__caravan_<run id>} (the run id lower-cased,
 * other characters than a-z and 0-9 as {@code _}; a table name too long for the database is cut and given a hash of
 * the whole name, so two tables never share a kept table). Rows only: no key, index, default or constraint.
 *
 * <p>A run taken up again has the same id, so an earlier attempt's kept table is found rather than made twice: it is
 * used as it is when it holds at least as many rows as the table (the copy finished; the table may have been emptied
 * since), and made again when it holds fewer (the attempt stopped while copying, and the table is still whole).
 */
final class KeptRows {
    private static final Logger LOG = LoggerFactory.getLogger(KeptRows.class);
    /** Between the table's name and the run's stamp in a kept table's name. */
    static final String SEPARATOR = "__caravan_";
    /** Prepare state: the kept table's name (in the target table's schema). */
    static final String TABLE = TableStructure.KEPT_TABLE;
    /** Prepare state: the number of rows in the kept table. */
    static final String ROWS = TableStructure.KEPT_ROWS;
    /** The shape of a journal's run id as a stamp; stands for it in previews. */
    static final String PREVIEW_STAMP = "yyyymmddthhmmss_xxxxxxxx";

    private KeptRows() {
    }

    /** The kept table's name for {@code table} and a {@link #stamp}, within the dialect's identifier limit. */
    static String name(Dialect dialect, String table, String stamp) {
        String suffix = SEPARATOR + stamp;
        return Ddl.fit(dialect, table, dialect.maxIdentifierLength() - dialect.identifierLength(suffix)) + suffix;
    }

    /**
     * A run id as the end of a kept table's name: lower case, a-z 0-9 and {@code _} only, at most as long as
     * {@link #PREVIEW_STAMP} (a longer id is cut and given its hash). Without a run (a sink prepared outside the
     * engine) a new stamp of the same shape, from the time and a random number.
     *
     * @param runId the run's id, or {@code null}
     */
    static String stamp(String runId) {
        String id = runId != null ? runId : DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now()) + "-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
        String s = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        int max = PREVIEW_STAMP.length();
        return s.length() <= max ? s : s.substring(0, max - 9) + "_" + String.format("%08x", s.hashCode());
    }

    /**
     * For previews: the statement that keeps the rows of {@code table} (the run's id as {@link #PREVIEW_STAMP}) and
     * the one that then drops ({@code replace}) or empties it, each ending with {@code ";\n"}.
     */
    static String preview(Dialect dialect, TableRef table, boolean replace) {
        TableRef kept = new TableRef(table.schema(), name(dialect, table.name(), PREVIEW_STAMP));
        return "-- keepReplaced: when " + table + " exists, its rows are kept first (the run's id in the name)\n"
                + dialect.copyRows(table, kept) + ";\n" + (replace ? dialect.dropTable(table)
                        : dialect.emptyTable(table)) + ";\n";
    }

    /**
     * Keeps the rows of {@code table} before it is dropped or emptied, unless this run kept them already, and puts
     * the kept table's name and row count into {@code state} ({@link #TABLE}, {@link #ROWS}). A table that does not
     * exist (any more) is not copied; the kept table an earlier attempt of the run made is still recorded.
     *
     * @param exists whether {@code table} exists
     * @return the kept table, or empty when there is none
     */
    static Optional<TableRef> keep(Connection c, Dialect dialect, TableRef table, String stamp, boolean exists,
            Map<String, String> state) throws SQLException {
        TableRef kept = new TableRef(table.schema(), name(dialect, table.name(), stamp));
        long keptRows = new Introspector(c, dialect).tables(table.schema()).contains(kept.name())
                ? count(c, dialect, kept) : -1;
        if (keptRows >= 0 && (!exists || keptRows >= count(c, dialect, table))) {
            LOG.info("{}: its rows were kept earlier in this run in {} ({} rows)", table, kept,
                    keptRows);
        } else if (exists) {
            try (Statement st = c.createStatement()) {
                if (keptRows >= 0) {
                    LOG.warn("{}: the kept table {} of an earlier attempt is incomplete; copying again", table, kept);
                    st.execute(dialect.dropTable(kept));
                }
                st.execute(dialect.copyRows(table, kept));
            }
            keptRows = count(c, dialect, kept);
            LOG.info("{}: kept its {} rows in {} before it is emptied or dropped", table, keptRows, kept);
        } else {
            return Optional.empty();
        }
        state.put(TABLE, kept.name());
        state.put(ROWS, Long.toString(keptRows));
        return Optional.of(kept);
    }

    private static long count(Connection c, Dialect dialect, TableRef t) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM "
                + dialect.qualified(t))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
