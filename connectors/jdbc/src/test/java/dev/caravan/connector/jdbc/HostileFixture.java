package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.testkit.contract.RecordFixtures;
import java.util.List;

/**
 * Tables and columns whose names are reserved words, mixed case, or contain quotes, backticks and SQL meant to
 * inject a DROP TABLE; plus a {@code victim} table that must survive everything.
 */
final class HostileFixture {
    static final String ORDER = "order";
    static final String MIXED = "Mixed Case";
    static final String QUOTED = "we\"ird";
    static final String INJECT = "x\"; DROP TABLE victim; --";
    static final String INJECT_BACKTICK = "y`; DROP TABLE victim; --";
    static final List<String> TABLES = List.of(ORDER, MIXED, QUOTED, INJECT, INJECT_BACKTICK);
    static final List<String> COLUMNS = List.of("select", "Grüße", "a\"b", "c`d", "'quote'");

    private HostileFixture() {
    }

    static Schema schema(String table) {
        return new Schema(table, List.of(new Column("id", ColumnType.LONG, null, 0, 0, false),
                new Column(COLUMNS.get(0), ColumnType.STRING, null, 100, 0, true),
                new Column(COLUMNS.get(1), ColumnType.STRING, null, 100, 0, true),
                new Column(COLUMNS.get(2), ColumnType.LONG, null, 0, 0, true),
                new Column(COLUMNS.get(3), ColumnType.STRING, null, 100, 0, true),
                new Column(COLUMNS.get(4), ColumnType.STRING, null, 100, 0, true)), List.of("id"));
    }

    static List<DataRecord> rows(int n) {
        return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> new DataRecord(new Object[] {(long) i,
            "v'); DROP TABLE victim; -- " + i, "ünïcödé " + i, i % 4 == 0 ? null : (long) i * 3, "`tick` " + i,
            "\"dq\" " + i})).toList();
    }

    static void create(TestDb db) {
        Schema victim = RecordFixtures.schema("victim");
        db.create("victim", victim, RecordFixtures.rows(10, 1));
        for (String t : TABLES) {
            Schema s = schema(t);
            StringBuilder ddl = new StringBuilder("CREATE TABLE " + db.q(t) + " (" + db.q("id") + " "
                    + (db.kind.equals("sqlite") ? "INTEGER" : "BIGINT") + " NOT NULL PRIMARY KEY");
            for (int i = 1; i < s.columns().size(); i++) {
                Column c = s.columns().get(i);
                ddl.append(", ").append(db.q(c.name())).append(' ').append(c.type() == ColumnType.LONG ? "BIGINT"
                        : "VARCHAR(100)");
            }
            if (t.equals(QUOTED)) {
                ddl.append(", FOREIGN KEY (").append(db.q("a\"b")).append(") REFERENCES ").append(db.q(ORDER))
                        .append(" (").append(db.q("id")).append(")");
            }
            ddl.append(")").append(db.kind.equals("mariadb") ? " DEFAULT CHARSET=utf8mb4" : "");
            db.exec(ddl.toString());
            db.exec("CREATE INDEX " + db.q("ix " + t.replace('`', '_')) + " ON " + db.q(t) + " (" + db.q("select")
                    + ", " + db.q("Grüße") + ")");
            db.insert(t, s, rows(t.equals(ORDER) ? 400 : 120));
        }
    }

    /** Every hostile table arrived with its rows; the victim survived on both sides. */
    static void assertCopied(TestDb source, TestDb target) {
        for (String t : TABLES) {
            Schema s = schema(t);
            RecordFixtures.assertSameRows(target.read(t, s), source.read(t, s), "table " + t);
        }
        Schema victim = RecordFixtures.schema("victim");
        RecordFixtures.assertSameRows(source.read("victim", victim), RecordFixtures.rows(10, 1), "source victim");
        RecordFixtures.assertSameRows(target.read("victim", victim), RecordFixtures.rows(10, 1), "target victim");
        assertThat(target.count(QUOTED)).isEqualTo(120);
    }
}
