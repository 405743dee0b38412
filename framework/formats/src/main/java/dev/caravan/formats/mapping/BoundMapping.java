package dev.caravan.formats.mapping;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.DataError;
import dev.caravan.formats.SchemaText;
import dev.caravan.formats.Values;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A {@link RecordMapping} bound to a source schema: the target schema and the per-record function. A value that
 * does not fit its cast fails with a recoverable {@link DataError} naming the column and the reason, so the
 * caller can count the record as a reject. Thread-safe.
 */
public final class BoundMapping implements UnaryOperator<DataRecord> {
    /**
     * How one target column is made, for plans and samples.
     *
     * @param target the target column
     * @param source the source column it comes from, or {@code null} for a derived column
     * @param rule   {@code copy}, {@code rename}, {@code cast}, {@code rename+cast} or {@code derived: <expression>}
     */
    public record ColumnRule(Column target, Column source, String rule) {
    }

    private final Schema source;
    private final Schema target;
    private final Column[] columns;
    private final int[] from;
    private final boolean[] cast;
    private final List<Function<Row, Object>> derived;
    private final List<ColumnRule> rules;
    private final boolean identity;

    BoundMapping(RecordMapping m, Schema source) {
        this.source = source;
        List<String> names = source.columns().stream().map(Column::name).toList();
        Set<String> derivedNames = new HashSet<>();
        m.derived.forEach(d -> derivedNames.add(d.name()));
        check("rename", m.renames.keySet(), names, Set.of());
        check("drop", m.drops, names, Set.of());
        check("cast", m.casts.keySet(), names, derivedNames);
        OffsetDateTime now = OffsetDateTime.now(m.clock).truncatedTo(ChronoUnit.MICROS);

        List<Column> cols = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        List<Boolean> casts = new ArrayList<>();
        List<Function<Row, Object>> fns = new ArrayList<>();
        List<ColumnRule> ruleList = new ArrayList<>();
        for (int i = 0; i < source.columns().size(); i++) {
            Column src = source.columns().get(i);
            if (m.drops.contains(src.name())) {
                continue;
            }
            String name = m.renames.getOrDefault(src.name(), src.name());
            RecordMapping.Cast c = m.casts.get(src.name());
            Column out = c == null
                    ? new Column(name, src.type(), src.nativeType(), src.precision(), src.scale(), src.nullable())
                    : new Column(name, c.type().type(), null, c.type().precision(), c.type().scale(),
                            src.nullable() && !c.notNull());
            boolean converts = c != null && (out.type() != src.type() || out.precision() != src.precision()
                    || out.scale() != src.scale());
            cols.add(out);
            idx.add(i);
            casts.add(converts);
            fns.add(null);
            boolean renamed = !name.equals(src.name());
            String rule = renamed && c != null ? "rename+cast" : renamed ? "rename" : c != null ? "cast" : "copy";
            ruleList.add(new ColumnRule(out, src, rule));
        }
        for (RecordMapping.Derived d : m.derived) {
            Function<Row, Object> fn;
            Column natural;
            String text;
            if (d.function() != null) {
                fn = d.function();
                natural = new Column(d.name(), d.type().type(), null, d.type().precision(), d.type().scale(), !d.notNull());
                text = "<java>";
            } else {
                Expressions.Parsed p = Expressions.parse(d.expression(), source, now);
                fn = p.function();
                natural = p.type();
                text = p.text();
            }
            RecordMapping.Cast c = m.casts.get(d.name());
            SchemaText.TypeSpec t = c != null ? c.type()
                    : new SchemaText.TypeSpec(natural.type(), natural.precision(), natural.scale());
            boolean nullable = !(d.notNull() || c != null && c.notNull());
            Column out = new Column(d.name(), t.type(), null, t.precision(), t.scale(), nullable);
            cols.add(out);
            idx.add(-1);
            casts.add(true);
            fns.add(fn);
            ruleList.add(new ColumnRule(out, null, "derived: " + text));
        }
        Set<String> seen = new HashSet<>();
        for (Column c : cols) {
            if (!seen.add(c.name())) {
                throw MigrationException.userConfig("the mapping gives two target columns the name '" + c.name()
                        + "'; rename or drop one of them");
            }
        }
        List<String> keys = new ArrayList<>();
        for (String k : source.keyColumns()) {
            if (!m.drops.contains(k)) {
                keys.add(m.renames.getOrDefault(k, k));
            }
        }
        this.target = new Schema(source.name(), cols, keys);
        this.columns = cols.toArray(new Column[0]);
        this.from = idx.stream().mapToInt(Integer::intValue).toArray();
        this.cast = new boolean[casts.size()];
        for (int i = 0; i < cast.length; i++) {
            cast[i] = casts.get(i);
        }
        this.derived = fns;
        this.rules = List.copyOf(ruleList);
        this.identity = m.isIdentity();
    }

    private static void check(String what, Set<String> keys, List<String> names, Set<String> alsoAllowed) {
        for (String k : keys) {
            if (!names.contains(k) && !alsoAllowed.contains(k)) {
                throw MigrationException.userConfig("mapping " + what + "." + k + " names a column the source does not "
                        + "have; source columns: " + names + (alsoAllowed.isEmpty() ? "" : ", derived: " + alsoAllowed));
            }
        }
    }

    public Schema source() {
        return source;
    }

    public Schema target() {
        return target;
    }

    /** How each target column is made, in target order. */
    public List<ColumnRule> rules() {
        return rules;
    }

    @Override
    public DataRecord apply(DataRecord record) {
        return apply(record, "record", 0);
    }

    /**
     * Maps one record; errors name {@code sourceName} and {@code recordNumber}.
     *
     * @throws DataError (recoverable) when a value does not fit its target column
     */
    public DataRecord apply(DataRecord record, String sourceName, long recordNumber) {
        if (identity) {
            return record;
        }
        Object[] in = record.values();
        Row row = null;
        Object[] out = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            Object v;
            if (from[i] >= 0) {
                v = in[from[i]];
            } else {
                if (row == null) {
                    row = new ArrayRow(in);
                }
                try {
                    v = derived.get(i).apply(row);
                } catch (RuntimeException e) {
                    throw DataError.inRecord(sourceName, recordNumber, 0, columns[i].name(), "derived column failed: "
                            + e.getMessage());
                }
            }
            if (v == null) {
                if (!columns[i].nullable()) {
                    throw DataError.inRecord(sourceName, recordNumber, 0, columns[i].name(), "NULL in a NOT NULL column");
                }
                continue;
            }
            try {
                out[i] = cast[i] ? Values.coerce(v, columns[i]) : v;
            } catch (IllegalArgumentException e) {
                throw DataError.inRecord(sourceName, recordNumber, 0, columns[i].name(), "cast failed: " + e.getMessage());
            }
        }
        return new DataRecord(out);
    }

    private final class ArrayRow implements Row {
        private final Object[] values;

        ArrayRow(Object[] values) {
            this.values = values;
        }

        @Override
        public Object get(String column) {
            int i = source.indexOf(column);
            if (i < 0) {
                throw new IllegalArgumentException("no source column '" + column + "'");
            }
            return values[i];
        }

        @Override
        public Object get(int index) {
            return values[index];
        }

        @Override
        public Schema schema() {
            return source;
        }
    }
}
