package dev.caravan.core.journal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What changed in the journal's tables since a journal may have been created by an earlier version, applied when it
 * is opened, so that an older journal keeps working: columns added, and column types changed.
 */
final class SchemaUpgrades {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaUpgrades.class);
    /** Columns added later: table, column, and the definition that adds it. */
    private static final String[][] ADDED_COLUMNS = {
        {"caravan_run", "planner", "VARCHAR(200)"},
        {"caravan_run", "plan_lease_until", "TIMESTAMP"},
        {"caravan_run", "planned", "BOOLEAN DEFAULT FALSE NOT NULL"},
        {"caravan_task", "part", "INT DEFAULT 0 NOT NULL"},
    };

    private SchemaUpgrades() {
    }

    /** Brings the tables made by {@code CREATE TABLE IF NOT EXISTS} of an older version up to date. */
    static void apply(Connection connection, Statement st) throws SQLException {
        for (String[] added : ADDED_COLUMNS) {
            if (columnType(connection, added[0], added[1]) == null) {
                st.execute("ALTER TABLE " + added[0] + " ADD COLUMN " + added[1] + " " + added[2]);
            }
        }
        // task ids were CHAR(32) at first: H2 compares blank-padded CHAR values slowly, and the journal looks tasks up
        // by batches of ids on every plan and verification (a batch of 500 ids: 4.4 ms against 1.3 ms as VARCHAR;
        // a verification of 2,000 objects 30-40 ms faster). The ids are 32 hex digits either way; converted once.
        String taskId = columnType(connection, "caravan_task", "task_id");
        if (taskId != null && isFixedLengthText(taskId)) {
            LOG.info("converting the journal's task ids to the faster VARCHAR (once; about 10 s for 400 MB)");
            st.execute("ALTER TABLE caravan_task ALTER COLUMN task_id SET DATA TYPE VARCHAR(32)");
        }
    }

    /** CHAR as H2 ({@code CHARACTER}) and PostgreSQL ({@code bpchar}) name it, not VARCHAR. */
    private static boolean isFixedLengthText(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        return t.equals("CHARACTER") || t.equals("CHAR") || t.equals("BPCHAR");
    }

    /**
     * The type name of a column as the driver reports it, or {@code null} when the table has no such column (names
     * compared without case: H2 folds to upper, PostgreSQL to lower).
     */
    static String columnType(Connection connection, String table, String column) throws SQLException {
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = connection.getMetaData().getColumns(null, null, name, null)) {
                while (rs.next()) {
                    if (column.equalsIgnoreCase(rs.getString("COLUMN_NAME"))) {
                        return rs.getString("TYPE_NAME");
                    }
                }
            }
        }
        return null;
    }
}
