package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.core.records.RecordMigrationListener;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The shop database migrated in two runs, schema only ({@code load=schema}) and then data only ({@code load=data}),
 * checked against a full migration of the same source into another database of the same kind: the same tables,
 * keys, indexes, foreign keys and identity columns, then the same rows. Shared by the unit test (H2, SQLite) and the
 * ITs (PostgreSQL, MariaDB).
 */
final class LoadScenario {
    private LoadScenario() {
    }

    static TableMigrationSpec spec(TestDb source, TestDb target, String load, Map<String, String> more) {
        Map<String, String> options = new HashMap<>(more);
        options.put("load", load);
        return TableMigrationSpec.builder(source.uri(), target.uri()).targetOptions(options).splitsPerTable(2)
                .build();
    }

    static void schemaThenData(Path dir, TestDb source, TestDb target, TestDb fullTarget) {
        RecordMigrationResult full = EngineSupport.run(dir, spec(source, fullTarget, "all", Map.of()));
        assertThat(full.outcome()).as(EngineSupport.describe(full)).isEqualTo(RunOutcome.COMPLETE);

        List<VerificationItem> items = new CopyOnWriteArrayList<>();
        RecordMigrationResult schema = EngineSupport.run(dir, spec(source, target, "schema", Map.of()),
                ConnectorRegistry.of(new JdbcRecordProvider()), new RecordMigrationListener() {
                    @Override
                    public void verified(VerificationItem item) {
                        items.add(item);
                    }
                });

        assertThat(schema.outcome()).as(EngineSupport.describe(schema)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(schema.rows()).as("schema only copies no row").isZero();
        for (String t : ShopFixture.TABLES) {
            assertThat(target.count(t)).as("rows of %s after the schema-only run", t).isZero();
        }
        assertThat(target.structure(ShopFixture.TABLES)).as("the structure a full migration creates")
                .isEqualTo(fullTarget.structure(ShopFixture.TABLES))
                .anyMatch(s -> s.startsWith("fk order_items ")).anyMatch(s -> s.startsWith("index orders "))
                .anyMatch(s -> s.startsWith("pk customers "));
        assertThat(items).as("one structure check per table, no missing rows").hasSize(ShopFixture.TABLES.length)
                .allMatch(i -> i.outcome() == VerificationOutcome.MATCH && i.method().equals("structure"));
        assertThat(newCustomerId(target)).as("identity column of the empty table starts at 1").isEqualTo(1);
        target.exec("DELETE FROM " + target.q("customers"));

        RecordMigrationResult data = EngineSupport.run(dir, spec(source, target, "data", Map.of()));

        assertThat(data.outcome()).as(EngineSupport.describe(data)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(data.rows()).isEqualTo(full.rows()).isPositive();
        assertThat(data.verification().count(VerificationOutcome.MATCH)).as("rows verified")
                .isGreaterThanOrEqualTo(ShopFixture.TABLES.length);
        ShopFixture.assertSameData(source, target);
        assertThat(target.structure(ShopFixture.TABLES)).as("data only creates and alters nothing")
                .isEqualTo(fullTarget.structure(ShopFixture.TABLES));
        assertThat(newCustomerId(target)).as("identity restarted after the loaded rows")
                .isEqualTo(ShopFixture.CUSTOMERS + 1);
    }

    /** Inserts a customer without an id and returns the id the identity column gave it. */
    static long newCustomerId(TestDb db) {
        String name = "new customer " + System.nanoTime();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO " + db.q("customers") + " (" + db.q("name") + ") VALUES ('" + name + "')");
            try (ResultSet rs = st.executeQuery("SELECT " + db.q("id") + " FROM " + db.q("customers") + " WHERE "
                    + db.q("name") + " = '" + name + "'")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
