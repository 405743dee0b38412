package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole SQLite database into embedded H2 through the engine: every table column by column, then the structure
 * (NOT NULL, foreign keys, indexes, identity restart) and verification.
 */
class SqliteToH2MigrationTest {
    @TempDir
    Path dir;

    @Test
    void wholeDatabaseArrivesColumnByColumnWithItsStructure() throws Exception {
        TestDb source = TestDb.sqlite(dir, "shop");
        ShopFixture.createSqlite(source);
        TestDb target = TestDb.h2(dir, "copy");
        TableMigrationSpec spec = TableMigrationSpec.builder(source.uri(), target.uri())
                .sourceOptions(Map.of("batchSize", "700")).splitsPerTable(3).parallelism(3)
                .verifyRangeRows(500).build();

        RecordMigrationResult r = EngineSupport.run(dir, spec);

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        System.out.println(EngineSupport.describe(r));
        List<String> order = r.tables().stream().map(t -> t.table()).toList();
        assertThat(order).as("load order").containsExactlyInAnyOrder(ShopFixture.TABLES);
        assertThat(order.indexOf("customers")).as("parents first").isLessThan(order.indexOf("orders"));
        assertThat(order.indexOf("orders")).as("parents first").isLessThan(order.indexOf("order_items"));
        assertThat(order.indexOf("products")).as("parents first").isLessThan(order.indexOf("order_items"));
        assertThat(r.rows()).isEqualTo(target.count("customers") + target.count("products") + target.count("orders")
                + target.count("order_items"));
        assertThat(r.verification().count(VerificationOutcome.MATCH)).as("verified ranges").isGreaterThan(8);
        ShopFixture.assertSameData(source, target);
        try (Connection c = target.connect()) {
            DatabaseMetaData md = c.getMetaData();
            assertThat(nullable(md, "customers", "name")).as("customers.name NOT NULL").isFalse();
            assertThat(nullable(md, "customers", "score")).as("customers.score NOT NULL").isFalse();
            assertThat(typeName(md, "customers", "score")).as("SQLite REAL").isEqualTo("DOUBLE PRECISION");
            assertThat(foreignKeys(md, "orders")).containsExactly("customers");
            assertThat(foreignKeys(md, "order_items")).containsExactlyInAnyOrder("orders", "products");
            assertThat(indexColumns(md, "orders")).contains("customer_id");
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO \"customers\" (\"name\") VALUES ('new customer')");
                try (ResultSet rs = st.executeQuery("SELECT \"id\", \"active\", \"score\" FROM \"customers\""
                        + " WHERE \"name\" = 'new customer'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("identity restarted after max(id)").isEqualTo(ShopFixture.CUSTOMERS
                            + 1);
                    assertThat(rs.getBoolean(2)).as("default of active").isTrue();
                    assertThat(rs.getDouble(3)).as("default of score").isZero();
                }
            }
        }
    }

    static boolean nullable(DatabaseMetaData md, String table, String column) throws Exception {
        try (ResultSet rs = md.getColumns(null, null, table, column)) {
            rs.next();
            return rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls;
        }
    }

    static String typeName(DatabaseMetaData md, String table, String column) throws Exception {
        try (ResultSet rs = md.getColumns(null, null, table, column)) {
            rs.next();
            return rs.getString("TYPE_NAME");
        }
    }

    static List<String> foreignKeys(DatabaseMetaData md, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = md.getImportedKeys(null, null, table)) {
            while (rs.next()) {
                if (rs.getShort("KEY_SEQ") == 1) {
                    out.add(rs.getString("PKTABLE_NAME"));
                }
            }
        }
        return out;
    }

    static List<String> indexColumns(DatabaseMetaData md, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = md.getIndexInfo(null, null, table, false, false)) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME"));
            }
        }
        return out;
    }
}
