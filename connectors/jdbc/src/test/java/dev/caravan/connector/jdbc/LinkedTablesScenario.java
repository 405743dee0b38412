package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole database with truncate=true into a target whose tables reference each other by foreign keys: customers
 * (parent), orders (child) and lines (grandchild), each with old rows that reference each other. Shared by
 * {@link TruncateLinkedTablesTest} (H2, SQLite) and {@link TruncateLinkedTablesIT} (PostgreSQL, MariaDB).
 */
final class LinkedTablesScenario {
    private final Path dir;
    final TestDb source;
    final TestDb target;

    LinkedTablesScenario(Path dir, TestDb target) {
        this.dir = dir;
        this.target = target;
        this.source = TestDb.sqlite(dir, "linked_src");
        source.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER REFERENCES customers (id), item TEXT)",
                "CREATE TABLE lines (id INTEGER PRIMARY KEY, ord INTEGER REFERENCES orders (id), qty INTEGER)",
                "INSERT INTO customers VALUES (1, 'new')", "INSERT INTO orders VALUES (10, 1, 'new')",
                "INSERT INTO lines VALUES (100, 10, 3)");
        String text = target.kind.equals("sqlite") ? "TEXT" : "VARCHAR(50)";
        target.exec("CREATE TABLE " + q("customers") + " (" + q("id") + " BIGINT PRIMARY KEY, " + q("name") + " "
                        + text + ")",
                "CREATE TABLE " + q("orders") + " (" + q("id") + " BIGINT PRIMARY KEY, " + q("customer") + " BIGINT, "
                        + q("item") + " " + text + ", CONSTRAINT " + q("orders_customer") + " FOREIGN KEY ("
                        + q("customer") + ") REFERENCES " + q("customers") + " (" + q("id") + "))",
                "CREATE TABLE " + q("lines") + " (" + q("id") + " BIGINT PRIMARY KEY, " + q("ord") + " BIGINT, "
                        + q("qty") + " BIGINT, CONSTRAINT " + q("lines_ord") + " FOREIGN KEY (" + q("ord")
                        + ") REFERENCES " + q("orders") + " (" + q("id") + "))",
                "INSERT INTO " + q("customers") + " VALUES (5, 'old')",
                "INSERT INTO " + q("orders") + " VALUES (50, 5, 'old')",
                "INSERT INTO " + q("lines") + " VALUES (500, 50, 9)");
    }

    String q(String id) {
        return target.q(id);
    }

    /** Adds a table outside the migration whose foreign key references customers, with one row. */
    void addOutsideChild() {
        target.exec("CREATE TABLE " + q("audit") + " (" + q("id") + " BIGINT PRIMARY KEY, " + q("customer")
                + " BIGINT, CONSTRAINT " + q("audit_customer") + " FOREIGN KEY (" + q("customer") + ") REFERENCES "
                + q("customers") + " (" + q("id") + "))", "INSERT INTO " + q("audit") + " VALUES (1, 5)");
    }

    TableMigrationSpec spec(String... options) {
        Map<String, String> target = new HashMap<>(Map.of("truncate", "true"));
        for (int i = 0; i < options.length; i += 2) {
            target.put(options[i], options[i + 1]);
        }
        return TableMigrationSpec.builder(source.uri(), this.target.uri()).targetOptions(target).build();
    }

    /** Runs the migration, expects it complete, and checks that only the source's rows are in the target. */
    RecordMigrationResult runAndCheckReplacedRows(String... options) {
        RecordMigrationResult r = EngineSupport.run(dir, spec(options));
        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(names()).containsExactly("new");
        assertThat(target.column("SELECT " + q("item") + " FROM " + q("orders"))).containsExactly("new");
        assertThat(target.column("SELECT " + q("qty") + " FROM " + q("lines"))).containsExactly("3");
        assertThat(identityColumns()).as("the target's tables keep their plain key columns (H2 turned them into"
                + " identity columns by copying the tables)").isEmpty();
        if (String.join(",", options).contains("keepReplaced,true")) {
            assertThat(r.keptTables()).as("each table's kept rows are in the result").extracting(t -> t.table()
                    + " " + t.keptRows()).containsExactlyInAnyOrder("customers 1", "orders 1", "lines 1");
        }
        return r;
    }

    /** Runs with keepReplaced=true and checks that the old rows of orders and customers are in their kept tables. */
    void runAndCheckKeptRows(dev.caravan.connector.jdbc.dialect.Dialect dialect) {
        RecordMigrationResult r = runAndCheckReplacedRows("keepReplaced", "true");
        String kept = KeptRows.name(dialect, "orders", KeptRows.stamp(r.runId()));
        assertThat(target.column("SELECT " + q("item") + " FROM " + q(kept))).containsExactly("old");
        String keptCustomers = KeptRows.name(dialect, "customers", KeptRows.stamp(r.runId()));
        assertThat(target.column("SELECT " + q("name") + " FROM " + q(keptCustomers))).containsExactly("old");
    }

    /** The target's identity (auto-increment) columns, as table.column. */
    private java.util.List<String> identityColumns() {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (java.sql.Connection c = target.connect();
                java.sql.ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), c.getSchema(), "%", "%")) {
            while (rs.next()) { // this database's (MariaDB's catalog) or schema's (PostgreSQL's) scenario tables only
                if (java.util.Objects.equals(rs.getString("TABLE_CAT"), c.getCatalog())
                        && java.util.List.of("customers", "orders", "lines").contains(
                                rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT))
                        && "YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT"))) {
                    out.add(rs.getString("TABLE_NAME") + "." + rs.getString("COLUMN_NAME"));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The run is refused as bad input naming both tables, and no table was emptied. */
    void expectOutsideChildRefused() {
        assertThatThrownBy(() -> EngineSupport.run(dir, spec())).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("customers").hasMessageContaining("audit").hasMessageContaining("truncate");
        assertThat(names()).as("nothing emptied").containsExactly("old");
        assertThat(target.column("SELECT " + q("item") + " FROM " + q("orders"))).containsExactly("old");
        assertThat(target.column("SELECT " + q("customer") + " FROM " + q("audit"))).containsExactly("5");
    }

    java.util.List<String> names() {
        return target.column("SELECT " + q("name") + " FROM " + q("customers"));
    }
}
