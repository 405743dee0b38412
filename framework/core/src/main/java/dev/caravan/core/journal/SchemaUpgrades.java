package dev.caravan.core.journal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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
        {"caravan_run", "final_counts", "VARCHAR(200)"},
        {"caravan_task", "part", "INT DEFAULT 0 NOT NULL"},
    };

    private SchemaUpgrades() {
    }

    /**
     * Brings the tables made by {@code CREATE TABLE IF NOT EXISTS} of an older version up to date. Reads each table's
     * columns once: this runs whenever a journal is opened.
     */
    static void apply(Connection connection, Statement st) throws SQLException {
        Map<String, Map<String, String>> columns = new HashMap<>();
        for (String[] added : ADDED_COLUMNS) {
            if (!columns.containsKey(added[0])) {
                columns.put(added[0], columnTypes(connection, added[0]));
            }
            if (!columns.get(added[0]).containsKey(added[1])) {
                st.execute("ALTER TABLE " + added[0] + " ADD COLUMN " + added[1] + " " + added[2]);
            }
        }
        if (columnType(connection, "caravan_task_upload", "task_id") == null) {
            // the few tasks whose checkpoint records an upload (TaskUploads), instead of an index on the tasks; in a
            // journal of an earlier version, the tasks whose checkpoints record one are marked once, now
            st.execute(TaskUploads.TABLE_DDL);
            st.execute(TaskUploads.MARK_RECORDED);
        }
        // task ids were CHAR(32) at first: H2 compares blank-padded CHAR values slowly, and the journal looks tasks up
        // by batches of ids on every plan and verification (a batch of 500 ids: 4.4 ms against 1.3 ms as VARCHAR;
        // a verification of 2,000 objects 30-40 ms faster). The ids are 32 hex digits either way; converted once.
        String taskId = columns.get("caravan_task").get("task_id"); // ADDED_COLUMNS has one of caravan_task
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

    /** The type name of a column as the driver reports it, or {@code null} when the table has no such column. */
    static String columnType(Connection connection, String table, String column) throws SQLException {
        return columnTypes(connection, table).get(column.toLowerCase(Locale.ROOT));
    }

    /**
     * The table's columns (lower-case names) and their type names as the driver reports them; empty for no such table
     * (H2 folds names to upper case, PostgreSQL to lower).
     */
    private static Map<String, String> columnTypes(Connection connection, String table) throws SQLException {
        Map<String, String> out = new HashMap<>();
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = connection.getMetaData().getColumns(null, null, name, null)) {
                while (rs.next()) {
                    out.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getString("TYPE_NAME"));
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        return out;
    }
}
