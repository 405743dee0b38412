package dev.caravan.formats.mapping;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.SchemaText;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A declared schema mapping: which source columns to rename, cast or drop, and which columns to derive. It is
 * data until {@link #bind bound} to a source schema, which checks every name and gives the target schema. Every
 * key names a <em>source</em> column, except derived columns (new names); casts may name a derived column to set
 * its type. Target order: the kept source columns in source order, then derived columns in declaration order.
 *
 * <p>The YAML-friendly form ({@link #fromMap}), e.g.:
 * <pre>{@code
 * rename.cust_id: customer_id
 * cast.amount: DECIMAL(12,2)
 * cast.id: LONG NOT NULL
 * drop: internal_notes, tmp
 * derive.full_name: concat(first_name, ' ', last_name)
 * derive.loaded_at: now()
 * derive.source_system: 'legacy-crm'
 * }</pre>
 * Embedders add Java lambdas with {@link Builder#derive(String, ColumnType, Function)}. Immutable and thread-safe.
 */
public final class RecordMapping {
    /** A derived column: its name, type (or {@code null} for the expression's type) and definition. */
    record Derived(String name, SchemaText.TypeSpec type, boolean notNull, String expression,
            Function<Row, Object> function) {
    }

    /** A cast: the target type and whether the column becomes NOT NULL. */
    record Cast(SchemaText.TypeSpec type, boolean notNull) {
    }

    private static final RecordMapping IDENTITY = new Builder().build();

    final Map<String, String> renames;
    final Map<String, Cast> casts;
    final Set<String> drops;
    final List<Derived> derived;
    final Clock clock;

    private RecordMapping(Builder b) {
        this.renames = Map.copyOf(b.renames);
        this.casts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.casts));
        this.drops = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.drops));
        this.derived = List.copyOf(b.derived);
        this.clock = b.clock;
    }

    /** The mapping that changes nothing. */
    public static RecordMapping identity() {
        return IDENTITY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses the YAML-friendly form: keys {@code rename.<source>}, {@code cast.<column>} ({@code TYPE} or
     * {@code TYPE NOT NULL}), {@code drop} (comma-separated) or {@code drop.<source>: true}, and
     * {@code derive.<new>} (an expression, see {@link Expressions}). Anything else is a {@code USER_CONFIG} error.
     */
    public static RecordMapping fromMap(Map<String, String> spec) {
        Builder b = new Builder();
        if (spec == null) {
            return b.build();
        }
        for (Map.Entry<String, String> e : spec.entrySet()) {
            String key = e.getKey().trim();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            int dot = key.indexOf('.');
            String kind = (dot < 0 ? key : key.substring(0, dot)).toLowerCase(Locale.ROOT);
            String column = dot < 0 ? null : key.substring(dot + 1);
            switch (kind) {
                case "rename" -> b.rename(need(column, key), value);
                case "cast" -> b.cast(need(column, key), value);
                case "drop" -> {
                    if (column == null) {
                        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(b::drop);
                    } else if (!value.equalsIgnoreCase("false")) {
                        b.drop(column);
                    }
                }
                case "derive" -> b.derive(need(column, key), value);
                default -> throw MigrationException.userConfig("unknown mapping key '" + key + "'; use rename.<column>, "
                        + "cast.<column>, drop, drop.<column> or derive.<new column>");
            }
        }
        return b.build();
    }

    private static String need(String column, String key) {
        if (column == null || column.isEmpty()) {
            throw MigrationException.userConfig("mapping key '" + key + "' needs a column name after the dot");
        }
        return column;
    }

    /** Checks every name against {@code source} and returns the mapping ready to apply; USER_CONFIG on errors. */
    public BoundMapping bind(Schema source) {
        return new BoundMapping(this, source);
    }

    /** Whether this mapping changes nothing. */
    public boolean isIdentity() {
        return renames.isEmpty() && casts.isEmpty() && drops.isEmpty() && derived.isEmpty();
    }

    /** The YAML-friendly form (a lambda-derived column appears as {@code <java>}). */
    public Map<String, String> toMap() {
        Map<String, String> out = new LinkedHashMap<>();
        renames.forEach((k, v) -> out.put("rename." + k, v));
        casts.forEach((k, v) -> out.put("cast." + k, v.type() + (v.notNull() ? " NOT NULL" : "")));
        if (!drops.isEmpty()) {
            out.put("drop", String.join(",", drops));
        }
        derived.forEach(d -> out.put("derive." + d.name(), d.expression() == null ? "<java>" : d.expression()));
        return out;
    }

    @Override
    public String toString() {
        return "RecordMapping" + toMap();
    }

    /** Builds a {@link RecordMapping}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> renames = new LinkedHashMap<>();
        private final Map<String, Cast> casts = new LinkedHashMap<>();
        private final Set<String> drops = new LinkedHashSet<>();
        private final List<Derived> derived = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Renames source column {@code from} to {@code to}. */
        public Builder rename(String from, String to) {
            if (to == null || to.isBlank()) {
                throw MigrationException.userConfig("rename of '" + from + "' needs a new name");
            }
            renames.put(from, to);
            return this;
        }

        /** Casts a column to a type given as text ({@code DECIMAL(12,2)}, {@code LONG NOT NULL}). */
        public Builder cast(String column, String type) {
            String t = type.trim();
            boolean notNull = t.toUpperCase(Locale.ROOT).endsWith(" NOT NULL");
            if (notNull) {
                t = t.substring(0, t.length() - " NOT NULL".length());
            }
            casts.put(column, new Cast(SchemaText.parseType(t), notNull));
            return this;
        }

        /** Casts a column to {@code type} with precision and scale (DECIMAL) or zeros. */
        public Builder cast(String column, ColumnType type, int precision, int scale) {
            casts.put(column, new Cast(new SchemaText.TypeSpec(type, precision, scale), false));
            return this;
        }

        /** Leaves a source column out of the target (it stays readable by derived columns). */
        public Builder drop(String column) {
            drops.add(column);
            return this;
        }

        /** A derived column from an expression (see the class comment). */
        public Builder derive(String name, String expression) {
            derived.add(new Derived(name, null, false, expression, null));
            return this;
        }

        /** A derived column computed by Java code from the source row; the result is cast to {@code type}. */
        public Builder derive(String name, ColumnType type, Function<Row, Object> function) {
            derived.add(new Derived(name, new SchemaText.TypeSpec(type, 0, 0), false, null, function));
            return this;
        }

        /** A derived column with full column details (precision, scale, nullability) computed by Java code. */
        public Builder derive(Column column, Function<Row, Object> function) {
            derived.add(new Derived(column.name(), new SchemaText.TypeSpec(column.type(), column.precision(),
                    column.scale()), !column.nullable(), null, function));
            return this;
        }

        /** The clock of {@code now()} (tests). */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public RecordMapping build() {
            return new RecordMapping(this);
        }
    }
}
