package dev.caravan.formats.store;

import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.TextValues;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code caravan plan --sample N} shows before anything is written: the resolved type mapping and the first
 * records as the target will hold them (encoded with the target format and decoded back in memory).
 *
 * @param source      the source schema
 * @param target      the target schema
 * @param typeMapping one row per target column
 * @param records     converted records (target schema)
 * @param rejects     records of the sample that would be rejected
 */
public record Sample(Schema source, Schema target, List<TypeMappingRow> typeMapping, List<DataRecord> records,
        List<Reject> rejects) {

    public Sample {
        typeMapping = List.copyOf(typeMapping);
        records = List.copyOf(records);
        rejects = List.copyOf(rejects);
    }

    /**
     * How one target column is made.
     *
     * @param sourceColumn     source column name, or {@code null} for a derived column
     * @param sourceType       our type of the source column (e.g. {@code DECIMAL(12,2)})
     * @param sourceFormatType how the source format holds it
     * @param targetColumn     target column name
     * @param targetType       our type of the target column
     * @param targetFormatType how the target format holds it (e.g. {@code int64 (TIMESTAMP(MICROS,false))})
     * @param rule             copy, rename, cast, derived: ...
     */
    public record TypeMappingRow(String sourceColumn, String sourceType, String sourceFormatType, String targetColumn,
            String targetType, String targetFormatType, String rule) {
    }

    /** A plain-text rendering: the mapping table, then the records. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"source column", "source type", "target column", "target type", "target format type", "rule"});
        for (TypeMappingRow r : typeMapping) {
            rows.add(new String[] {r.sourceColumn() == null ? "-" : r.sourceColumn(), r.sourceType(), r.targetColumn(),
                r.targetType(), r.targetFormatType(), r.rule()});
        }
        table(sb, rows);
        sb.append('\n').append(records.size()).append(" sample record(s):\n");
        List<String[]> data = new ArrayList<>();
        data.add(target.columns().stream().map(c -> c.name()).toArray(String[]::new));
        for (DataRecord r : records) {
            String[] cells = new String[r.values().length];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = r.values()[i] == null ? "NULL" : TextValues.abbreviate(TextValues.format(r.values()[i]));
            }
            data.add(cells);
        }
        table(sb, data);
        if (!rejects.isEmpty()) {
            sb.append('\n').append(rejects.size()).append(" rejected:\n");
            rejects.forEach(r -> sb.append("  ").append(r).append('\n'));
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].replace("\n", "\\n").length());
            }
        }
        for (String[] r : rows) {
            sb.append(' ');
            for (int i = 0; i < cols; i++) {
                String cell = r[i].replace("\n", "\\n");
                sb.append(' ').append(cell);
                if (i + 1 < cols) {
                    sb.append(" ".repeat(width[i] - cell.length())).append(" |");
                }
            }
            sb.append('\n');
        }
    }
}
