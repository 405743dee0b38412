package dev.caravan.connector.jdbc;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.SinkTables;
import dev.caravan.api.record.SourceTables;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheme, declared options, location forms, secrets, and what a location opens. */
class JdbcRecordProviderTest {
    @TempDir
    Path dir;

    private final JdbcRecordProvider provider = new JdbcRecordProvider();

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(RecordProvider.class).stream().map(p -> p.get().scheme()))
                .contains("jdbc");
    }

    @Test
    void everyOptionIsDescribedAndThePasswordIsSecret() {
        assertThat(provider.options().list()).allSatisfy(o -> assertThat(o.description()).hasSizeGreaterThan(20));
        assertThat(provider.options().find("password")).get().matches(o -> o.secret());
        var config = provider.options().resolve(Map.of("user", "app", "password", "s3cr3t"));
        assertThat(config.toString()).doesNotContain("s3cr3t").contains("****");
        assertThat(provider.options().find("batchSize")).get().extracting(o -> o.defaultValue()).isEqualTo("10000");
    }

    @Test
    void badOptionValuesFailAtConfigurationTime() {
        assertFailsWith(ErrorKind.USER_CONFIG, "unknown mode", () -> provider.options().resolve(Map.of("mode", "merge")));
        assertFailsWith(ErrorKind.USER_CONFIG, "zero batch", () -> provider.options().resolve(Map.of("batchSize", "0")));
        assertFailsWith(ErrorKind.USER_CONFIG, "DDL in a type rule", () -> provider.options().resolve(
                Map.of("typeMapping", "REAL=double precision); DROP TABLE x; --")));
        assertFailsWith(ErrorKind.USER_CONFIG, "table and query", () -> provider.openSource("sqlite:" + dir
                .resolve("x.db"), provider.options().resolve(Map.of("table", "t", "query", "SELECT 1"))));
        assertFailsWith(ErrorKind.USER_CONFIG, "unknown database", () -> provider.openSource("oracle:thin:@h:1521:x",
                null));
    }

    /**
     * targetUser nobody with ?user=postgres in the URL ran as postgres without a word: the driver takes the URL's
     * user over the option (found by exploratory testing). Two different users or passwords are bad input.
     */
    @Test
    void aUserOrPasswordGivenTwiceDifferentlyIsRefused() {
        String url = "postgresql://127.0.0.1:1/db?user=postgres&password=a%26b";
        assertThatThrownBy(() -> provider.openSink(url, provider.options().resolve(Map.of("user", "nobody"))))
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("'postgres' in the URL and 'nobody' by the user option")
                .hasMessageNotContaining("a%26b").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> provider.openSink(url, provider.options().resolve(Map.of("password", "other"))))
                .isInstanceOf(MigrationException.class).hasMessageContaining("two different passwords")
                .hasMessageNotContaining("other").hasMessageNotContaining("a%26b");
        assertThatThrownBy(() -> provider.openSink("h2:" + dir.resolve("h") + ";USER=sa", provider.options()
                .resolve(Map.of("user", "app")))).isInstanceOf(MigrationException.class)
                .hasMessageContaining("two users");
        assertThat(JdbcSettings.of(url, provider.options().resolve(Map.of("user", "postgres", "password", "a&b")))
                .user()).as("the same user and password twice are fine").isEqualTo("postgres");
    }

    @Test
    void locationIsTheJdbcUrlAfterTheSchemeWithOrWithoutJdbcPrefix() {
        TestDb db = TestDb.sqlite(dir, "loc");
        db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'a')");
        for (String location : new String[] {db.location(), db.uri()}) {
            try (RecordSource s = provider.openSource(location, provider.options().resolve(Map.of("table", "T")))) {
                assertThat(s.schema().name()).as("case-insensitive match of the table name").isEqualTo("t");
            }
        }
        try (RecordSource whole = provider.openSource(db.location(), null);
                RecordSink sink = provider.openSink(db.location(), null)) {
            assertThat(whole.capability(SourceTables.class)).get().extracting(SourceTables::tables)
                    .asList().containsExactly("t");
            assertThat(sink.capability(SinkTables.class)).isPresent();
            assertFailsWith(ErrorKind.USER_CONFIG, "schema of a database", whole::schema);
        }
        assertFailsWith(ErrorKind.NOT_FOUND, "missing table", () -> provider.openSource(db.location(),
                provider.options().resolve(Map.of("table", "nope"))));
    }

    @Test
    void aWholeDatabaseSinkNamesTheTargetTableOfASourceTableAfterItsRenames() {
        TestDb db = TestDb.sqlite(dir, "names");
        try (RecordSink sink = provider.openSink(db.location(), provider.options().resolve(Map.of("rename",
                "users=people,users.email=mail")))) {
            SinkTables tables = sink.capability(SinkTables.class).orElseThrow();
            assertThat(tables.targetName("users")).isEqualTo("people");
            assertThat(tables.targetName("posts")).isEqualTo("posts");
        }
    }

    @Test
    void splitsReadTheKeySpanFromTheIndexWithoutScanningTheTable() throws Exception {
        TestDb db = TestDb.sqlite(dir, "span");
        db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "CREATE TABLE u (k INT, v TEXT)",
                "CREATE INDEX u_k ON u (k)");
        db.exec("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g LIMIT 5000)"
                + " INSERT INTO t SELECT i * 2, 'x' FROM g", "INSERT INTO u SELECT id, v FROM t");
        try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
            for (String[] table : new String[][] {{"\"t\"", "\"id\""}, {"\"u\"", "\"k\""}}) {
                for (String where : new String[] {"", " WHERE " + table[1] + " > 10 AND " + table[1] + " <= 900"}) {
                    StringBuilder plan = new StringBuilder();
                    try (java.sql.ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN "
                            + JdbcTableSource.keySpanSql(table[1], table[0], where))) {
                        while (rs.next()) {
                            plan.append(rs.getString("detail")).append('\n');
                        }
                    }
                    assertThat(plan.toString()).as("plan of the key span of %s%s", table[0], where)
                            .doesNotContain("SCAN " + table[0].replace("\"", "")).contains("SEARCH");
                }
            }
        }
        try (RecordSource s = provider.openSource(db.location(), provider.options().resolve(Map.of("table", "t",
                "batchSize", "1000")))) {
            var splits = s.splits(4);
            assertThat(splits).as("4 splits over keys 2..10000").hasSize(4);
            long rows = 0;
            for (var split : splits) {
                try (var r = s.open(split, dev.caravan.api.journal.Checkpoint.EMPTY)) {
                    for (var b = r.nextBatch(); b.isPresent(); b = r.nextBatch()) {
                        rows += b.get().records().size();
                    }
                }
            }
            assertThat(rows).as("every row in exactly one split").isEqualTo(5000);
        }
    }

    @Test
    void passwordsInUrlsAreMasked() {
        assertThat(JdbcSettings.mask("jdbc:postgresql://h/db?user=a&password=s3cr3t&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=****&ssl=true");
        assertThat(JdbcSettings.mask("jdbc:mariadb://app:s3cr3t@h/db")).isEqualTo("jdbc:mariadb://app:****@h/db");
    }

    @Test
    void queryIsASourceWithItsOwnColumns() {
        TestDb db = TestDb.sqlite(dir, "q");
        db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        try (RecordSource s = provider.openSource(db.location(), provider.options().resolve(Map.of(
                "query", "SELECT id, upper(v) AS big FROM t WHERE id > 1", "keyColumn", "id")))) {
            assertThat(s.schema().columns()).extracting(c -> c.name()).containsExactly("id", "big");
            var rows = new java.util.ArrayList<dev.caravan.api.record.DataRecord>();
            try (var r = s.open(s.splits(2).get(0), dev.caravan.api.journal.Checkpoint.EMPTY)) {
                r.nextBatch().ifPresent(b -> rows.addAll(b.records()));
            }
            assertThat(rows).extracting(r -> r.get(1)).containsExactly("B", "C");
        }
    }
}
