package dev.caravan.camel.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.camel.support.BadInput;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TablePreview;
import dev.caravan.formats.store.ConversionReport;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caravan-records:} end to end on embedded databases (SQLite source, H2 target) and local directories, with
 * the real jdbc and local connectors; every check reads the target back.
 */
class RecordsComponentTest {
    @TempDir
    Path tmp;
    private MigrationEngine engine;
    private CamelContext context;
    private ProducerTemplate template;
    private String sqlite;
    private String h2;
    private final List<Object> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sqlite = "jdbc:sqlite:" + tmp.resolve("shop.db");
        h2 = "jdbc:h2:" + tmp.resolve("h2/shop");
        try (Connection c = DriverManager.getConnection(sqlite); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance REAL)");
            s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),"
                    + " amount NUMERIC(10,2), note TEXT)");
            for (int i = 1; i <= 50; i++) {
                s.execute("INSERT INTO customers VALUES (" + i + ", 'Müller " + i + "', " + (i * 1000.5 + 0.335431)
                        + ")");
                s.execute("INSERT INTO orders VALUES (" + i + ", " + i + ", " + i + ".25, " + (i % 5 == 0 ? "NULL"
                        : "'n" + i + "'") + ")");
            }
        }
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")));
        context = new DefaultCamelContext();
        context.getRegistry().bind("engine", engine);
        context.start();
        context.getComponent("caravan-records", CaravanRecordsComponent.class).addListener(new RecordsListener() {
            @Override
            public void onRun(dev.caravan.core.records.TableMigrationSpec spec, RecordMigrationResult result) {
                heard.add(result);
            }

            @Override
            public void onConvert(RecordsRequest.Conversion conversion, ConversionReport report) {
                heard.add(report);
            }
        });
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
        engine.close();
    }

    @Test
    void migratesAWholeDatabaseAndVerifiesIt() throws Exception {
        Exchange plan = template.request("caravan-records:plan?source=" + sqlite + "&target=" + h2 + "&sampleRows=2",
                e -> { });
        assertThat(plan.getException()).isNull();
        @SuppressWarnings("unchecked")
        List<TablePreview> previews = plan.getMessage().getBody(List.class);
        assertThat(previews).extracting(TablePreview::table).containsExactly("customers", "orders");
        assertThat(previews.get(0).sample()).hasSize(2);
        assertThat(plan.getMessage().getHeader(RecordsConstants.PLAN_TEXT, String.class))
                .contains("table customers", "balance DOUBLE", "CREATE TABLE");
        assertThat(rows(h2, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME IN ('customers', 'orders')"))
                .containsExactly(List.of("0")); // plan writes nothing

        String text = context.getEndpoint("caravan-records:migrate?source=" + sqlite + "&target=" + h2,
                RecordsEndpoint.class).preview(1);
        assertThat(text).contains("table orders", "CREATE TABLE", "1 sample row(s)");

        Exchange run = template.request("caravan-records:migrate?source=" + sqlite + "&target=" + h2
                + "&parallelism=2&verify=digest&batchSize=7&name=unit", e -> { });
        assertThat(run.getException()).isNull();
        RecordMigrationResult result = run.getMessage().getBody(RecordMigrationResult.class);
        assertThat(result.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(run.getMessage().getHeader(RecordsConstants.ROWS)).isEqualTo(100L);
        assertThat(run.getMessage().getHeader(RecordsConstants.EXIT_CODE)).isEqualTo(0);
        assertThat(run.getMessage().getHeader(RecordsConstants.VERIFIED)).isEqualTo(true);
        assertThat(heard).containsExactly(result);
        assertThat(rows(sqlite, "SELECT id, name, balance FROM customers ORDER BY id"))
                .isEqualTo(rows(h2, "SELECT \"id\", \"name\", \"balance\" FROM \"customers\" ORDER BY \"id\""));
        assertThat(rows(h2, "SELECT \"amount\", \"note\" FROM \"orders\" WHERE \"id\" IN (5, 7) ORDER BY \"id\""))
                .containsExactly(List.of("5.25", "null"), List.of("7.25", "n7"));

        Exchange verify = template.request("caravan-records:verify?source=" + sqlite + "&target=" + h2, e -> { });
        assertThat(verify.getException()).isNull();
        assertThat(verify.getMessage().getBody(VerificationReport.class).clean()).isTrue();

        try (Connection c = DriverManager.getConnection(h2); Statement s = c.createStatement()) {
            s.execute("UPDATE \"customers\" SET \"name\" = 'changed' WHERE \"id\" = 17");
        }
        Exchange differs = template.request("caravan-records:verify?source=" + sqlite + "&target=" + h2, e -> { });
        assertThat(differs.getMessage().getHeader(RecordsConstants.VERIFIED)).isEqualTo(false);
        assertThat(differs.getException()).isInstanceOf(MigrationException.class);
        assertThat(((MigrationException) differs.getException()).kind()).isEqualTo(ErrorKind.VERIFICATION_FAILED);
        assertThat(BadInput.failedWith(differs)).isFalse();
    }

    @Test
    void copiesSelectedTablesWithRenamesAndAMapping() throws Exception {
        Exchange run = template.request("caravan-records:migrate?source=" + sqlite + "&target=" + h2
                + "&include=cust*&rename=customers=clients&mapping.drop=balance&targetSchema=APP", e -> { });
        assertThat(run.getException()).isNull();
        assertThat(rows(h2, "SELECT COUNT(*), MIN(\"name\") FROM \"APP\".\"clients\""))
                .containsExactly(List.of("50", "Müller 1"));
        assertThat(rows(h2, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'clients'"
                + " AND COLUMN_NAME = 'balance'")).containsExactly(List.of("0"));
        assertThat(rows(h2, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'orders'"))
                .containsExactly(List.of("0"));
    }

    @Test
    void writesATableAsParquetFilesAndLoadsThemBack() throws Exception {
        Path lake = tmp.resolve("lake");
        Exchange out = template.request("caravan-records:migrate?source=" + sqlite + "&source.table=orders&target=local:"
                + lake + "&targetFormat=parquet&prefix=orders&verify=count&targetFormat.compression=gzip", e -> { });
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(RecordsConstants.ROWS)).isEqualTo(50L);
        try (Stream<Path> files = Files.walk(lake)) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet"))).isNotEmpty();
        }
        Exchange in = template.request("caravan-records:migrate?source=local:" + lake + "&sourceFormat=parquet"
                + "&include=orders/**&target=" + h2 + "&target.table=orders_copy&mode=replace&verify=count", e -> { });
        assertThat(in.getException()).isNull();
        assertThat(rows(h2, "SELECT \"id\", \"customer_id\", \"amount\", \"note\" FROM \"orders_copy\" ORDER BY \"id\""))
                .isEqualTo(rows(sqlite, "SELECT id, customer_id, amount, note FROM orders ORDER BY id"));
    }

    @Test
    void convertsCsvToParquetWithAMappingAndReadsItBack() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.writeString(in.resolve("a.csv"), "id;amount;who\n1;12.50;Ann\n2;0.99;\"Bob; Jr\"\n");
        Files.writeString(in.resolve("b.csv"), "id;amount;who\n3;7;Zoë\n");
        Exchange conv = template.request("caravan-records:convert?source=local:" + in + "&include=*.csv"
                + "&sourceFormat.delimiter=;&target=local:" + tmp.resolve("out") + "&targetFormat=parquet"
                + "&mapping.rename.who=customer&mappingRules=cast.amount=DECIMAL(9,2)", e -> { });
        assertThat(conv.getException()).isNull();
        String sample = context.getEndpoint("caravan-records:convert?source=local:" + in + "&include=*.csv"
                + "&sourceFormat.delimiter=;&target=local:" + tmp.resolve("out") + "&targetFormat=parquet"
                + "&mapping.rename.who=customer", RecordsEndpoint.class).preview(2);
        assertThat(sample).contains("customer", "Bob; Jr").doesNotContain("Zoë");
        ConversionReport report = conv.getMessage().getBody(ConversionReport.class);
        assertThat(report.recordsOut()).isEqualTo(3);
        assertThat(heard).containsExactly(report);

        Exchange back = template.request("caravan-records:convert?source=local:" + tmp.resolve("out")
                + "&sourceFormat=parquet&target=local:" + tmp.resolve("back") + "&targetFormat=csv", e -> { });
        assertThat(back.getException()).isNull();
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(tmp.resolve("back"))) {
            for (Path p : files.sorted().toList()) {
                lines.addAll(Files.readAllLines(p));
            }
        }
        assertThat(lines).containsExactly("id,amount,customer", "1,12.50,Ann", "2,0.99,Bob; Jr", "3,7.00,Zoë");
    }

    @Test
    void unknownOptionsAndBadValuesFailAtEndpointCreation() {
        assertThatThrownBy(() -> context.getEndpoint("caravan-records:migrate?source=" + sqlite + "&target=" + h2
                + "&paralelism=2")).hasRootCauseInstanceOf(MigrationException.class)
                .rootCause().hasMessageContaining("did you mean 'parallelism'").hasMessageContaining("known options:");
        assertThatThrownBy(() -> context.getEndpoint("caravan-records:migrate?source=" + sqlite + "&target=" + h2
                + "&verify=sha1")).rootCause().hasMessageContaining("none, count, digest");
        assertThatThrownBy(() -> context.getEndpoint("caravan-records:migrate?source=" + sqlite + "&target=local:"
                + tmp + "&targetSchema=x")).rootCause().hasMessageContaining("set targetFormat");
        assertThatThrownBy(() -> context.getEndpoint("caravan-records:migrate?source=" + sqlite + "&target=" + h2
                + "&target.colour=red")).rootCause().hasMessageContaining("unknown option 'colour'");
        assertThatThrownBy(() -> context.getEndpoint("caravan-records:copy?source=" + sqlite))
                .rootCause().hasMessageContaining("migrate, plan, verify, convert");
        assertThatThrownBy(() -> context.getEndpoint("caravan-records:migrate?source=" + sqlite + "&target=local:"
                + tmp + "&targetFormat=parquet&targetSchema=x")).rootCause()
                .hasMessageContaining("option 'targetSchema' does not apply to the target connector 'files'");
    }

    @Test
    void badInputAtRunTimeIsMarkedAndNothingIsWritten() {
        Exchange missing = template.request("caravan-records:migrate?target=" + h2, e -> { });
        assertThat(missing.getException()).hasMessageContaining("option 'source' is required");
        assertThat(BadInput.failedWith(missing)).isTrue();

        Exchange noTable = template.request("caravan-records:migrate?source=" + sqlite + "&source.table=nope&target="
                + h2, e -> { });
        assertThat(noTable.getException()).isInstanceOf(MigrationException.class);
        assertThat(BadInput.failedWith(noTable)).as(String.valueOf(noTable.getException())).isTrue();
    }

    /** A conversion that fails on bad data publishes nothing: bad input (exit code 2), as the CLI documents it. */
    @Test
    void aConversionFailingOnBadDataIsBadInputAndPublishesNothing() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(in.resolve("a.csv"), "id,name\n1,a\n2,\"unterminated\n3,c\n");
        Files.writeString(in.resolve("b.csv"), "id,name\n1,a\n2\n");
        for (String glob : List.of("a.csv", "b.csv")) {
            Exchange conv = template.request("caravan-records:convert?source=local:" + in + "&include=" + glob
                    + "&sourceFormat=csv&target=local:" + tmp.resolve("bad-out") + "&targetFormat=parquet", e -> { });
            assertThat(conv.getException()).as(glob).isInstanceOf(MigrationException.class)
                    .hasMessageStartingWith(glob + ": line ");
            assertThat(BadInput.failedWith(conv)).as(glob + ": " + conv.getException()).isTrue();
        }
        Exchange over = template.request("caravan-records:convert?source=local:" + in + "&include=b.csv&sourceFormat=csv"
                + "&target=local:" + tmp.resolve("bad-out") + "&targetFormat=parquet&maxRejects=0", e -> { });
        assertThat(BadInput.failedWith(over)).isTrue();
        try (Stream<Path> files = Files.walk(tmp.resolve("bad-out"))) {
            assertThat(files.filter(Files::isRegularFile).toList()).as("nothing published, no temporary left").isEmpty();
        }
    }

    private static List<List<Object>> rows(String url, String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.add(v == null ? "null" : v instanceof Number ? new BigDecimal(v.toString())
                            .stripTrailingZeros().toPlainString() : v);
                }
                out.add(row);
            }
        }
        return out;
    }
}
