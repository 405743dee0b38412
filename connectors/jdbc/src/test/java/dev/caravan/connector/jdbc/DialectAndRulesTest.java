package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.TableDefinition;
import dev.caravan.connector.jdbc.dialect.Dialect;
import dev.caravan.connector.jdbc.dialect.Dialects;
import dev.caravan.connector.jdbc.dialect.Values;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quoting, the built-in type table, user type rules, renames, key encoding, defaults and generated DDL. */
class DialectAndRulesTest {
    private static final Dialect PG = Dialects.forUrl("jdbc:postgresql://h/db");
    private static final Dialect MARIA = Dialects.forUrl("jdbc:mysql://h/db");
    private static final Dialect SQLITE = Dialects.forUrl("jdbc:sqlite:x.db");

    @Test
    void identifiersAreQuotedAndEscaped() {
        assertThat(PG.quote("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(MARIA.quote("back`tick")).isEqualTo("`back``tick`");
        assertThat(PG.qualified(new TableRef("Mixed Case", "order"))).isEqualTo("\"Mixed Case\".\"order\"");
        assertThat(MARIA.literal("it's \\ ok")).isEqualTo("'it''s \\\\ ok'");
        assertThatThrownBy(() -> PG.quote("nul\0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builtInTypeTableKeepsPrecision() {
        Column real = new Column("v", ColumnType.DOUBLE, "REAL", 0, 0, false);
        assertThat(PG.targetType(real, "sqlite", false)).isEqualTo("double precision");
        assertThat(PG.targetType(new Column("n", ColumnType.DECIMAL, "numeric", 12, 2, true), "h2", false))
                .isEqualTo("numeric(12,2)");
        assertThat(MARIA.targetType(new Column("n", ColumnType.DECIMAL, "numeric", 0, 0, true), "postgresql", false))
                .isEqualTo("DECIMAL(65,30)");
        assertThat(MARIA.targetType(Column.of("t", ColumnType.STRING), "postgresql", true)).isEqualTo("VARCHAR(768)");
        assertThat(MARIA.targetType(Column.of("ts", ColumnType.TIMESTAMP_TZ), "postgresql", false))
                .isEqualTo("DATETIME(6)");
        assertThat(PG.targetType(new Column("j", ColumnType.JSON, "jsonb", 0, 0, true), "postgresql", false))
                .isEqualTo("jsonb");
        assertThat(SQLITE.logicalType(0, "NUMERIC(12,2)", 0, 0)).isEqualTo(ColumnType.DECIMAL);
        assertThat(SQLITE.logicalType(0, "DATETIME", 0, 0)).isEqualTo(ColumnType.TIMESTAMP);
        assertThat(SQLITE.logicalType(0, "varchar(20)", 0, 0)).isEqualTo(ColumnType.STRING);
    }

    @Test
    void userRulesWinByPrecedence() {
        TypeRules rules = TypeRules.parse("REAL=real; sqlite:REAL=double precision; column:items.v=numeric({p},4);"
                + " TIMESTAMP_TZ=timestamp(3) with time zone");
        Column real = new Column("w", ColumnType.DOUBLE, "REAL", 0, 0, true);
        assertThat(rules.apply("items", real, "sqlite")).isEqualTo("double precision");
        assertThat(rules.apply("items", real, "h2")).isEqualTo("real");
        assertThat(rules.apply("items", new Column("v", ColumnType.DECIMAL, "x", 10, 2, true), "sqlite"))
                .isEqualTo("numeric(10,4)");
        assertThat(rules.apply("t", Column.of("z", ColumnType.TIMESTAMP_TZ), null))
                .isEqualTo("timestamp(3) with time zone");
        assertThat(rules.apply("t", Column.of("z", ColumnType.STRING), null)).isNull();
    }

    @Test
    void renamesHonourEscapes() {
        Renames r = Renames.parse("orders=sales, orders.amt=amount, *.created=created_at, my\\.t=x\\,y");
        assertThat(r.table("orders")).isEqualTo("sales");
        assertThat(r.table("my.t")).isEqualTo("x,y");
        assertThat(r.column("orders", "amt")).isEqualTo("amount");
        assertThat(r.column("other", "amt")).isEqualTo("amt");
        assertThat(r.column("other", "created")).isEqualTo("created_at");
    }

    @Test
    void keysRoundTripThroughTheirStringForm() {
        Object[] key = {42L, "a,b%c", LocalDateTime.parse("2024-01-02T03:04:05.123456")};
        String s = KeyCodec.encode(key);
        assertThat(KeyCodec.decode(s, List.of(ColumnType.LONG, ColumnType.STRING, ColumnType.TIMESTAMP)))
                .containsExactly(key);
        assertThat(KeyCodec.encode(new Object[] {new BigDecimal("10.50")})).isEqualTo("10.50");
    }

    @Test
    void valuesConvertOrAreRefused() {
        assertThat(Values.convert("2024-01-02 03:04:05.5", ColumnType.TIMESTAMP))
                .isEqualTo(LocalDateTime.parse("2024-01-02T03:04:05.5"));
        assertThat(Values.convert("2024-01-02T03:04:05+02:00", ColumnType.TIMESTAMP_TZ))
                .isEqualTo(OffsetDateTime.parse("2024-01-02T03:04:05+02:00"));
        assertThat(Values.convert(1, ColumnType.BOOLEAN)).isEqualTo(true);
        assertThat(Values.convert(3.0, ColumnType.LONG)).isEqualTo(3L);
        assertThatThrownBy(() -> Values.convert(3.5, ColumnType.LONG)).isInstanceOf(Values.BadValue.class);
        assertThatThrownBy(() -> Values.convert("n/a", ColumnType.INT)).isInstanceOf(Values.BadValue.class);
    }

    @Test
    void aValueOfItsColumnsPassThroughClassIsReturnedAsItIs() {
        Map<ColumnType, Object> samples = Map.ofEntries(Map.entry(ColumnType.BOOLEAN, true),
                Map.entry(ColumnType.INT, 7L), Map.entry(ColumnType.LONG, 7L),
                Map.entry(ColumnType.DECIMAL, new BigDecimal("1.50")), Map.entry(ColumnType.FLOAT, 1.5),
                Map.entry(ColumnType.DOUBLE, 1.5), Map.entry(ColumnType.STRING, "x"), Map.entry(ColumnType.JSON, "{}"),
                Map.entry(ColumnType.BYTES, new byte[] {1}), Map.entry(ColumnType.DATE, LocalDate.of(2024, 2, 29)),
                Map.entry(ColumnType.TIME, LocalTime.of(1, 2)),
                Map.entry(ColumnType.TIMESTAMP, LocalDateTime.of(2024, 2, 29, 1, 2)),
                Map.entry(ColumnType.TIMESTAMP_TZ, OffsetDateTime.parse("2024-01-02T03:04:05+02:00")));
        for (ColumnType type : ColumnType.values()) {
            Class<?> ready = Values.passThrough(type);
            if (type == ColumnType.UUID) {
                assertThat(ready).as("uuid text is lower-cased").isNull();
                continue;
            }
            Object v = samples.get(type);
            assertThat(v).as(type.name()).isInstanceOf(ready);
            assertThat(Values.convert(v, type)).as(type.name()).isSameAs(v);
        }
    }

    @Test
    void aTimestampTakesThePreviousDateOnlyWhenItIsTheSame() {
        LocalDateTime feb28 = Values.parseLocalDateTime("2023-02-28 23:59:59");
        LocalDateTime same = Values.parseLocalDateTime("2023-02-28 00:00:01.25", feb28);
        assertThat(same).isEqualTo(LocalDateTime.parse("2023-02-28T00:00:01.25"));
        assertThat(same.toLocalDate()).isSameAs(feb28.toLocalDate());
        assertThat(Values.parseLocalDateTime("2023-03-28 10:00:00", feb28))
                .isEqualTo(LocalDateTime.parse("2023-03-28T10:00"));
        assertThat(Values.parseLocalDateTime("2024-02-29 10:00", feb28))
                .isEqualTo(LocalDateTime.parse("2024-02-29T10:00"));
        assertThatThrownBy(() -> Values.parseLocalDateTime("2023-02-29 10:00:00", feb28))
                .isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Values.parseLocalDateTime("2023-02-28 24:00:00", feb28))
                .isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void defaultsArePortableOrLeftOut() {
        assertThat(PG.portableDefault("'abc'::character varying", ColumnType.STRING)).isEqualTo("'abc'");
        assertThat(PG.portableDefault("nextval('t_id_seq'::regclass)", ColumnType.LONG)).isNull();
        assertThat(PG.portableDefault("now()", ColumnType.TIMESTAMP_TZ)).isEqualTo("CURRENT_TIMESTAMP");
        assertThat(SQLITE.portableDefault("1", ColumnType.BOOLEAN)).isEqualTo("TRUE");
        assertThat(MARIA.renderDefault("'a''b\\c'", ColumnType.STRING)).isEqualTo("'a''b\\\\c'");
        assertThat(PG.renderDefault("'x'); DROP TABLE t; --'", ColumnType.STRING)).isNull();
    }

    @Test
    void ddlQuotesEverythingAndCreatesIdentityAndKey() {
        Schema schema = new Schema("order", List.of(new Column("id", ColumnType.LONG, "INTEGER", 0, 0, false),
                new Column("we\"ird", ColumnType.STRING, "TEXT", 0, 0, false),
                new Column("score", ColumnType.DOUBLE, "REAL", 0, 0, false)), List.of("id"));
        TableDefinition def = new TableDefinition("sqlite", schema,
                List.of(new TableDefinition.Index("order_by_name", List.of("we\"ird"), true)), List.of(),
                Map.of("score", "0"), List.of("id"));
        Ddl ddl = new Ddl(PG, TypeRules.parse(null), Renames.parse(null), "order");
        String create = ddl.createTable(new TableRef("public", "order"), schema, def, true).get(0);
        assertThat(create).isEqualTo("CREATE TABLE \"public\".\"order\" (\n"
                + "  \"id\" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
                + "  \"we\"\"ird\" text NOT NULL,\n"
                + "  \"score\" double precision DEFAULT 0 NOT NULL,\n"
                + "  PRIMARY KEY (\"id\")\n)");
        assertThat(ddl.indexes(new TableRef("public", "order"), schema, def)).containsExactly(
                "CREATE UNIQUE INDEX IF NOT EXISTS \"order_by_name\" ON \"public\".\"order\" (\"we\"\"ird\")");
        String sqlite = new Ddl(SQLITE, TypeRules.parse(null), Renames.parse(null), "order")
                .createTable(new TableRef(null, "order"), schema, def, true).get(0);
        assertThat(sqlite).contains("\"id\" INTEGER PRIMARY KEY AUTOINCREMENT").doesNotContain("PRIMARY KEY (");
        assertThat(new Ddl(MARIA, TypeRules.parse(null), Renames.parse(null), "order").name("t",
                "x".repeat(80))).hasSizeLessThanOrEqualTo(64);
    }

    /** InnoDB keys hold 3072 bytes: BIGINT + VARCHAR(768) (3080) could not be created. */
    @Test
    void mariaDbKeyColumnsShareTheKeyLimit() {
        Column id = new Column("id", ColumnType.LONG, "INTEGER", 0, 0, false);
        Column text = new Column("t", ColumnType.STRING, "TEXT", 0, 0, false);
        Column other = new Column("o", ColumnType.STRING, "TEXT", 0, 0, false);
        Column code = new Column("c", ColumnType.STRING, "VARCHAR", 10, 0, false);
        Schema schema = new Schema("k", List.of(id, text, other, code), List.of("id", "t"));
        TableDefinition def = new TableDefinition("sqlite", schema, List.of(new TableDefinition.Index("k_o_c",
                List.of("o", "c"), false), new TableDefinition.Index("k_o", List.of("o"), false)), List.of(), Map.of(),
                List.of());
        String create = new Ddl(MARIA, TypeRules.parse(null), Renames.parse(null), "k")
                .createTable(new TableRef("db", "k"), schema, def, true).get(0);
        assertThat(create).contains("`id` BIGINT NOT NULL", "`t` VARCHAR(766) NOT NULL", "`o` VARCHAR(758) NOT NULL",
                "`c` VARCHAR(10) NOT NULL");
        assertThat(MARIA.keyLengths(List.of(text, other))).isEqualTo(Map.of("t", 384, "o", 384));
        assertThat(MARIA.keyLengths(List.of(text))).isEqualTo(Map.of("t", 768));
        assertThat(PG.keyLengths(List.of(id, text))).isEmpty();
        assertThat(new Ddl(MARIA, TypeRules.parse("column:k.t=VARCHAR(20)"), Renames.parse(null), "k")
                .createTable(new TableRef("db", "k"), schema, def, true).get(0)).as("a rule wins")
                .contains("`t` VARCHAR(20) NOT NULL");
    }

    /** PostgreSQL keeps 63 bytes of a name (and cut longer ones short without an error), MariaDB 64 characters. */
    @Test
    void namesLongerThanTheTargetKeepsAreRefusedWithTheRenameThatHelps() {
        Schema schema = new Schema("s.t", List.of(new Column("id", ColumnType.LONG, "INTEGER", 0, 0, false),
                new Column("é".repeat(32), ColumnType.STRING, "TEXT", 0, 0, true)), List.of("id"));
        Ddl pg = new Ddl(PG, TypeRules.parse(null), Renames.parse(null), "s.t");
        assertThatThrownBy(() -> pg.checkNames("s.t", schema, true)).hasMessage("column name '" + "é".repeat(32)
                + "' of table s.t is 64 bytes long, and PostgreSQL keeps at most 63: give it a shorter name with the"
                + " rename option: rename=s\\.t." + "é".repeat(32) + "=<new name>");
        new Ddl(MARIA, TypeRules.parse(null), Renames.parse(null), "s.t").checkNames("s.t", schema, true);
        new Ddl(PG, TypeRules.parse(null), Renames.parse("s\\.t.é=e"), "s.t").checkNames("x".repeat(63), new Schema(
                "s.t", List.of(Column.of("é", ColumnType.STRING)), List.of()), true);
        assertThatThrownBy(() -> new Ddl(MARIA, TypeRules.parse(null), Renames.parse(null), "t").checkNames(
                "t".repeat(65), schema, false)).hasMessage("table name '" + "t".repeat(65) + "' is 65 characters long,"
                        + " and MariaDB keeps at most 64: choose a shorter name with the table option");
        assertThat(new Ddl(PG, TypeRules.parse(null), Renames.parse(null), "t").name("t", "é".repeat(40)))
                .as("derived names are shortened to the limit in bytes").satisfies(n -> assertThat(
                        n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63));
    }
}
