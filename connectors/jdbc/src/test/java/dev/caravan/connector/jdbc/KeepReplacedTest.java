package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.TableStructure;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target option keepReplaced on H2 and SQLite targets: before mode replace drops a table or truncate empties it,
 * its rows go byte for byte into {@code <table>__caravan_<run id>}; a run taken up again after a kill between the
 * copy and the drop (or after the drop) neither copies twice nor loses the kept table; without the option nothing is
 * kept.
 */
class KeepReplacedTest {
    private static final String TABLE = "Odd \"Ünï\" items";

    @TempDir
    Path dir;

    private TestDb source;

    private TestDb source() {
        if (source != null && source.url.contains(dir.toString())) {
            return source;
        }
        source = TestDb.sqlite(dir, "src");
        source.exec("CREATE TABLE " + source.q(TABLE) + " (id INTEGER PRIMARY KEY, name TEXT, price NUMERIC,"
                + " data BLOB)", "INSERT INTO " + source.q(TABLE) + " VALUES (1, 'new', 2.5, x'01')");
        return source;
    }

    /** A target table with rows worth keeping: unicode, an empty string, NULLs, bytes with zeros, a decimal. */
    private TestDb target(String kind) {
        TestDb target = kind.equals("h2") ? TestDb.h2(dir, "dst") : TestDb.sqlite(dir, "dst");
        String bytes = kind.equals("h2") ? "VARBINARY(20)" : "BLOB";
        target.exec("CREATE TABLE " + target.q(TABLE) + " (" + target.q("id") + " BIGINT PRIMARY KEY, "
                + target.q("name") + " VARCHAR(50), " + target.q("price") + " DECIMAL(10,2), " + target.q("data")
                + " " + bytes + ")", "INSERT INTO " + target.q(TABLE) + " VALUES (7, 'Grüße \"x\" 日本', 12.50, "
                + "X'00ff0010'), (8, '', NULL, NULL), (9, NULL, -0.01, X'')");
        return target;
    }

    private static List<String> rows(TestDb db, String table) {
        return db.column("SELECT " + db.q("id") + " || '|' || COALESCE(" + db.q("name") + ", '<null>') || '|' || "
                + "COALESCE(CAST(" + db.q("price") + " AS VARCHAR(20)), '<null>') FROM " + db.q(table)
                + " ORDER BY " + db.q("id"));
    }

    private static List<String> bytes(TestDb db, String table) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (var c = db.connect(); var st = c.createStatement(); var rs = st.executeQuery("SELECT " + db.q("data")
                + " FROM " + db.q(table) + " ORDER BY " + db.q("id"))) {
            while (rs.next()) {
                byte[] b = rs.getBytes(1);
                out.add(b == null ? "<null>" : HexFormat.of().formatHex(b));
            }
        }
        return out;
    }

    private static List<String> keptTables(TestDb db) {
        String sql = db.kind.equals("h2") ? "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE"
                + " '%\\_\\_caravan\\_%' ESCAPE '\\'" : "SELECT name FROM sqlite_master WHERE type = 'table' AND"
                + " name LIKE '%\\_\\_caravan\\_%' ESCAPE '\\'";
        return db.column(sql);
    }

    private RecordMigrationResult run(TestDb target, Map<String, String> options) {
        TableMigrationSpec spec = TableMigrationSpec.builder(source().uri(), target.uri()).targetOptions(options)
                .build();
        RecordMigrationResult r = EngineSupport.run(dir, spec);
        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mode=replace", "truncate=true"})
    void replaceAndTruncateKeepTheRowsByteForByteOnH2AndSqlite(String option) throws Exception {
        for (String kind : List.of("h2", "sqlite")) {
            dir = java.nio.file.Files.createTempDirectory(dir, kind);
            TestDb target = target(kind);
            List<String> before = rows(target, TABLE);
            List<String> beforeBytes = bytes(target, TABLE);
            String[] kv = option.split("=");

            RecordMigrationResult r = run(target, Map.of(kv[0], kv[1], "keepReplaced", "true"));

            String kept = TABLE + KeptRows.SEPARATOR + KeptRows.stamp(r.runId());
            assertThat(keptTables(target)).as(kind).containsExactly(kept);
            assertThat(r.keptTables()).as("the run's result names the kept table and its rows")
                    .extracting(t -> t.table() + " -> " + t.keptTable() + " (" + t.keptRows() + ")")
                    .containsExactly(TABLE + " -> " + kept + " (3)");
            assertThat(rows(target, kept)).as(kind).isEqualTo(before).hasSize(3);
            assertThat(bytes(target, kept)).as(kind).isEqualTo(beforeBytes);
            assertThat(target.column("SELECT " + target.q("name") + " FROM " + target.q(TABLE))).as(kind)
                    .containsExactly("new");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite"})
    void withoutTheOptionNothingIsKept(String kind) {
        TestDb target = target(kind);

        run(target, Map.of("mode", "replace"));

        assertThat(keptTables(target)).isEmpty();
        assertThat(target.column("SELECT " + target.q("name") + " FROM " + target.q(TABLE))).containsExactly("new");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite"})
    void aRunTakenUpAfterTheCopyDoesNotCopyTwiceAndAfterTheDropStillHasTheKeptTable(String kind) throws Exception {
        TestDb target = target(kind);
        String runId = "20240102T030405-" + UUID.randomUUID().toString().substring(0, 8);
        String kept = TABLE + KeptRows.SEPARATOR + KeptRows.stamp(runId);
        // the first attempt copied the rows and was killed before the drop; a marker row shows a second copy
        target.exec("CREATE TABLE " + target.q(kept) + " AS SELECT * FROM " + target.q(TABLE),
                "INSERT INTO " + target.q(kept) + " (" + target.q("id") + ") VALUES (-1)");

        Map<String, String> state = prepare(target, runId);

        assertThat(keptTables(target)).containsExactly(kept);
        assertThat(target.column("SELECT COUNT(*) FROM " + target.q(kept))).containsExactly("4");
        assertThat(state).containsEntry(KeptRows.TABLE, kept).containsEntry(KeptRows.ROWS, "4");
        assertThat(target.column("SELECT COUNT(*) FROM " + target.q(TABLE))).as("replaced").containsExactly("0");

        // killed after the drop: the next attempt finds the table gone or empty and the kept table as it was
        target.exec("DROP TABLE " + target.q(TABLE));
        assertThat(prepare(target, runId)).containsEntry(KeptRows.TABLE, kept).containsEntry(KeptRows.ROWS, "4");
        assertThat(prepare(target, runId)).containsEntry(KeptRows.ROWS, "4");
        assertThat(keptTables(target)).containsExactly(kept);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite"})
    void aKeptTableAnAttemptLeftIncompleteIsCopiedAgain(String kind) throws Exception {
        TestDb target = target(kind);
        List<String> before = rows(target, TABLE);
        String runId = UUID.randomUUID().toString();
        String kept = TABLE + KeptRows.SEPARATOR + KeptRows.stamp(runId);
        target.exec("CREATE TABLE " + target.q(kept) + " AS SELECT * FROM " + target.q(TABLE) + " WHERE "
                + target.q("id") + " = 7");

        prepare(target, runId);

        assertThat(rows(target, kept)).isEqualTo(before);
        assertThat(keptTables(target)).containsExactly(kept);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false"})
    void thePreviewShowsTheCopyBeforeTheDrop(String keep) {
        TestDb target = target("h2");
        JdbcRecordProvider provider = new JdbcRecordProvider();
        try (RecordSource src = provider.openSource(source().location(), TestDb.config(Map.of("table", TABLE)));
                RecordSink sink = provider.openSink(target.location(), TestDb.config(Map.of("table", TABLE,
                        "mode", "replace", "keepReplaced", keep)))) {
            String preview = sink.capability(TableStructure.class).orElseThrow().preview(src.schema(), null);
            String copy = "CREATE TABLE \"PUBLIC\".\"Odd \"\"Ünï\"\" items__caravan_" + KeptRows.PREVIEW_STAMP
                    + "\" AS SELECT * FROM \"PUBLIC\".\"Odd \"\"Ünï\"\" items\";\nDROP TABLE";
            if (keep.equals("true")) {
                assertThat(preview).contains(copy);
            } else {
                assertThat(preview).doesNotContain("keepReplaced", "__caravan_");
            }
        }
    }

    private Map<String, String> prepare(TestDb target, String runId) {
        JdbcRecordProvider provider = new JdbcRecordProvider();
        try (RecordSource src = provider.openSource(source().location(), TestDb.config(Map.of("table", TABLE)));
                RecordSink sink = provider.openSink(target.location(), TestDb.config(Map.of("table", TABLE,
                        "mode", "replace", "keepReplaced", "true")))) {
            Schema schema = src.schema();
            return new HashMap<>(sink.capability(TableStructure.class).orElseThrow().prepare(schema, null, false,
                    runId));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mode=append", "mode=upsert", "load=data"})
    void keepReplacedWithNothingToKeepIsBadInput(String option) {
        TestDb target = target("h2");
        String[] kv = option.split("=");
        JdbcRecordProvider provider = new JdbcRecordProvider();

        assertThatThrownBy(() -> provider.openSink(target.location(), TestDb.config(Map.of(kv[0], kv[1],
                "keepReplaced", "true")))).isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("keepReplaced").hasMessageContaining("mode=replace")
                .hasMessageContaining("truncate=true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mode=replace", "truncate=true"})
    void keepReplacedWithAReplaceOrTruncateIsAccepted(String option) {
        String[] kv = option.split("=");
        JdbcRecordProvider provider = new JdbcRecordProvider();
        provider.openSink(target("h2").location(), TestDb.config(Map.of(kv[0], kv[1], "keepReplaced", "true")))
                .close();
    }
}
