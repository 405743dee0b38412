package dev.caravan.formats;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The type mapping between our {@link ColumnType}s and each format, as data: the Java type of values, and the
 * physical type every registered codec gives a column of that type with its default options (computed by the
 * same code that writes the files, see {@link FormatCodec#physicalType}). The table in {@code docs/formats.md}
 * is {@link #markdown()}; a test keeps the two equal.
 */
public final class TypeMappings {
    /** The Java class of values of each type (see {@link Values}). */
    public static final Map<ColumnType, String> JAVA_TYPES;

    static {
        Map<ColumnType, String> m = new EnumMap<>(ColumnType.class);
        m.put(ColumnType.BOOLEAN, "Boolean");
        m.put(ColumnType.INT, "Integer");
        m.put(ColumnType.LONG, "Long");
        m.put(ColumnType.DECIMAL, "BigDecimal");
        m.put(ColumnType.FLOAT, "Float");
        m.put(ColumnType.DOUBLE, "Double");
        m.put(ColumnType.STRING, "String");
        m.put(ColumnType.BYTES, "byte[]");
        m.put(ColumnType.DATE, "LocalDate");
        m.put(ColumnType.TIME, "LocalTime");
        m.put(ColumnType.TIMESTAMP, "LocalDateTime");
        m.put(ColumnType.TIMESTAMP_TZ, "OffsetDateTime");
        m.put(ColumnType.JSON, "String (JSON text)");
        m.put(ColumnType.UUID, "UUID");
        JAVA_TYPES = java.util.Collections.unmodifiableMap(m);
    }

    /**
     * One row of the table.
     *
     * @param type     our type, as written in schemas (e.g. {@code DECIMAL(12,2)})
     * @param java     the Java type of values
     * @param byFormat physical type per codec name, in the order {@link Codecs#all()} lists codecs
     */
    public record Row(String type, String java, Map<String, String> byFormat) {
    }

    private TypeMappings() {
    }

    /** One row per type; DECIMAL twice (with precision, and unbounded). */
    public static List<Row> table() {
        List<FormatCodec> codecs = new ArrayList<>();
        Codecs.all().forEach(c -> {
            if (c instanceof FormatCodec f) {
                codecs.add(f);
            }
        });
        List<Row> rows = new ArrayList<>();
        for (ColumnType t : ColumnType.values()) {
            List<Column> samples = t == ColumnType.DECIMAL
                    ? List.of(new Column("c", t, null, 12, 2, true), new Column("c", t, null, 0, 0, true))
                    : List.of(new Column("c", t, null, 0, 0, true));
            for (Column c : samples) {
                Map<String, String> byFormat = new LinkedHashMap<>();
                for (FormatCodec codec : codecs) {
                    byFormat.put(codec.name(), codec.physicalType(c, null));
                }
                String name = t == ColumnType.DECIMAL && c.precision() == 0 ? "DECIMAL (unbounded)"
                        : Values.typeName(t, c.precision(), c.scale());
                rows.add(new Row(name, JAVA_TYPES.get(t), byFormat));
            }
        }
        return rows;
    }

    /** The declared options of a codec as a Markdown table (name, type, default, description). */
    public static String optionsMarkdown(FormatCodec codec) {
        StringBuilder sb = new StringBuilder("| option | type | default | description |\n| --- | --- | --- | --- |\n");
        for (dev.caravan.api.config.OptionDef d : codec.options().list()) {
            String type = d.type().name().toLowerCase(java.util.Locale.ROOT)
                    + (d.allowed().isEmpty() ? "" : ": " + String.join(", ", d.allowed()));
            String def = d.defaultValue() == null ? ""
                    : d.defaultValue().isEmpty() ? "(empty)" : "`" + d.defaultValue() + "`";
            sb.append("| `").append(d.name()).append("` | ").append(type).append(" | ").append(def).append(" | ")
                    .append(d.description().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

    /** The table as Markdown. */
    public static String markdown() {
        List<Row> rows = table();
        StringBuilder sb = new StringBuilder("| type | Java value |");
        List<String> formats = new ArrayList<>(rows.get(0).byFormat().keySet());
        formats.forEach(f -> sb.append(' ').append(f).append(" |"));
        sb.append("\n| --- | --- |");
        formats.forEach(f -> sb.append(" --- |"));
        sb.append('\n');
        for (Row r : rows) {
            sb.append("| ").append(r.type()).append(" | ").append(r.java()).append(" |");
            for (String f : formats) {
                sb.append(' ').append(r.byFormat().get(f).replace("|", "\\|")).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
