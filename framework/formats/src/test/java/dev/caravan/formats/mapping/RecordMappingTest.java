package dev.caravan.formats.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.DataError;
import dev.caravan.formats.SchemaText;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordMappingTest {
    private static final Schema SOURCE = new Schema("people", SchemaText.parseColumns(
            "id:LONG NOT NULL, first:STRING, last:STRING, amount:STRING, secret:STRING, \"odd name\":INT"), List.of("id"));

    @Test
    void renameCastDropAndDeriveFromTheYamlForm() {
        Map<String, String> spec = new LinkedHashMap<>();
        spec.put("rename.id", "person_id");
        spec.put("cast.amount", "DECIMAL(8,2)");
        spec.put("drop", "secret, first");
        spec.put("derive.full_name", "concat(first, ' ', last)");
        spec.put("derive.loaded_at", "now()");
        spec.put("derive.source", "'crm'");
        spec.put("derive.weight", "1.5");
        spec.put("derive.copy", "\"odd name\"");
        spec.put("cast.copy", "LONG NOT NULL");
        Clock clock = Clock.fixed(Instant.parse("2024-06-01T12:00:00.123456789Z"), ZoneOffset.UTC);
        RecordMapping m = RecordMapping.builder().clock(clock).build();
        m = mergeClock(RecordMapping.fromMap(spec), clock);
        BoundMapping b = m.bind(SOURCE);
        assertThat(b.target().columns()).extracting(Column::name).containsExactly("person_id", "last", "amount",
                "odd name", "full_name", "loaded_at", "source", "weight", "copy");
        assertThat(b.target().columns()).extracting(Column::type).containsExactly(ColumnType.LONG, ColumnType.STRING,
                ColumnType.DECIMAL, ColumnType.INT, ColumnType.STRING, ColumnType.TIMESTAMP_TZ, ColumnType.STRING,
                ColumnType.DECIMAL, ColumnType.LONG);
        assertThat(b.target().columns().get(8).nullable()).isFalse();
        assertThat(b.target().keyColumns()).containsExactly("person_id");
        DataRecord out = b.apply(new DataRecord(new Object[] {7L, "Ada", "Lovelace", "12.5", "x", 3}));
        assertThat(out.values()).containsExactly(7L, "Lovelace", new BigDecimal("12.50"), 3, "Ada Lovelace",
                OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 123_456_000, ZoneOffset.UTC), "crm", new BigDecimal("1.5"), 3L);
        assertThat(b.rules()).extracting(BoundMapping.ColumnRule::rule).containsExactly("rename", "copy", "cast",
                "copy", "derived: concat(first, ' ', last)", "derived: now()", "derived: 'crm'", "derived: 1.5",
                "derived: \"odd name\"");
        assertThat(RecordMapping.fromMap(spec).toMap()).containsEntry("cast.amount", "DECIMAL(8,2)")
                .containsEntry("drop", "secret,first");
    }

    private static RecordMapping mergeClock(RecordMapping parsed, Clock clock) {
        RecordMapping.Builder b = RecordMapping.builder().clock(clock);
        parsed.renames.forEach(b::rename);
        parsed.casts.forEach((k, v) -> b.cast(k, v.type() + (v.notNull() ? " NOT NULL" : "")));
        parsed.drops.forEach(b::drop);
        parsed.derived.forEach(d -> b.derive(d.name(), d.expression()));
        return b.build();
    }

    @Test
    void concatSkipsNullsAndJavaLambdasDerive() {
        BoundMapping b = RecordMapping.builder()
                .derive("name", "concat(first, '-', last)")
                .derive("initials", ColumnType.STRING, row -> ((String) row.get("first")).substring(0, 1))
                .derive(new Column("doubled", ColumnType.DECIMAL, null, 10, 1, false), row -> Long.parseLong(
                        (String) row.get("amount")) * 2)
                .drop("secret").build().bind(SOURCE);
        DataRecord out = b.apply(new DataRecord(new Object[] {1L, "Grace", null, "21", null, null}));
        assertThat(out.values()).endsWith("Grace-", "G", new BigDecimal("42.0"));
    }

    @Test
    void valuesThatDoNotFitTheCastAreRecoverableErrorsNamingTheColumn() {
        BoundMapping b = RecordMapping.builder().cast("amount", ColumnType.DECIMAL, 4, 2).cast("id", "INT").build()
                .bind(SOURCE);
        assertThatThrownBy(() -> b.apply(new DataRecord(new Object[] {1L, null, null, "123.456", null, null}), "in.csv", 9))
                .isInstanceOfSatisfying(DataError.class, e -> {
                    assertThat(e.recoverable()).isTrue();
                    assertThat(e.kind()).isEqualTo(ErrorKind.USER_DATA);
                })
                .hasMessage("in.csv: record 9, column 'amount': cast failed: '123.456' does not fit DECIMAL(4,2): "
                        + "it has more than 2 digits after the decimal point");
        assertThatThrownBy(() -> b.apply(new DataRecord(new Object[] {5_000_000_000L, null, null, "1", null, null})))
                .hasMessageContaining("column 'id': cast failed: 5000000000 does not fit INT: it is out of range");
        assertThatThrownBy(() -> b.apply(new DataRecord(new Object[] {1L, null, null, "99.5x", null, null})))
                .hasMessageContaining("'99.5x' is not a DECIMAL(4,2)");
        assertThatThrownBy(() -> RecordMapping.builder().cast("first", "LONG NOT NULL").build().bind(SOURCE)
                .apply(new DataRecord(new Object[] {1L, null, null, null, null, null})))
                .hasMessageContaining("column 'first': NULL in a NOT NULL column");
    }

    @Test
    void configurationErrorsNameWhatToChange() {
        assertThatThrownBy(() -> RecordMapping.fromMap(Map.of("rename.nope", "x")).bind(SOURCE))
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("mapping rename.nope names a column the source does not have");
        assertThatThrownBy(() -> RecordMapping.fromMap(Map.of("renam.id", "x")))
                .hasMessageContaining("unknown mapping key 'renam.id'");
        assertThatThrownBy(() -> RecordMapping.fromMap(Map.of("derive.x", "upper(first)")).bind(SOURCE))
                .hasMessageContaining("derived column expression 'upper(first)'");
        assertThatThrownBy(() -> RecordMapping.fromMap(Map.of("derive.x", "concat(first, nope)")).bind(SOURCE))
                .hasMessageContaining("no source column 'nope'");
        assertThatThrownBy(() -> RecordMapping.fromMap(Map.of("rename.first", "last")).bind(SOURCE))
                .hasMessageContaining("two target columns the name 'last'");
        assertThatThrownBy(() -> RecordMapping.fromMap(Map.of("cast.first", "DECIMAL(2,5)")))
                .hasMessageContaining("unknown column type 'DECIMAL(2,5)'");
    }

    @Test
    void identityPassesRecordsThrough() {
        DataRecord r = new DataRecord(new Object[] {1L, "a", "b", "c", "d", 1});
        assertThat(RecordMapping.identity().bind(SOURCE).apply(r)).isSameAs(r);
        assertThat(RecordMapping.identity().bind(SOURCE).target()).isEqualTo(SOURCE);
    }
}
