package dev.caravan.runtime;

import java.util.List;

/**
 * What {@code caravan plan} found for one {@code caravan-records:} endpoint, before anything is written: per table
 * (or for the files of a conversion) the type mapping and the first converted records.
 *
 * @param route     the route id
 * @param operation {@code migrate}, {@code plan}, {@code verify} or {@code convert}
 * @param source    the source location, passwords masked
 * @param target    the target location, passwords masked
 * @param tables    one per source table (one for a conversion), in load order
 */
public record RecordPlan(String route, String operation, String source, String target, List<TablePlan> tables) {
    public RecordPlan {
        tables = List.copyOf(tables);
    }

    /**
     * One table or conversion.
     *
     * @param name          the source table, or the objects a conversion reads
     * @param columns       how each target column is made
     * @param targetDdl     the statements the target would run, or {@code null} when it cannot tell (files)
     * @param splits        key ranges that would be read in parallel (1 for a conversion)
     * @param sampleColumns the target column names of the sample
     * @param sample        the first records as the target would hold them, as text ({@code NULL} for null)
     * @param rejects       records of the sample that would be rejected, with the reason
     */
    public record TablePlan(String name, List<ColumnMapping> columns, String targetDdl, int splits,
            List<String> sampleColumns, List<List<String>> sample, List<String> rejects) {
        public TablePlan {
            columns = List.copyOf(columns);
            sampleColumns = List.copyOf(sampleColumns);
            sample = sample.stream().map(List::copyOf).toList();
            rejects = List.copyOf(rejects);
        }
    }

    /**
     * How one target column is made.
     *
     * @param sourceColumn the source column, or {@code null} for a derived column
     * @param sourceType   its type as the source declares it (native type where known)
     * @param targetColumn the target column
     * @param targetType   its type in the target: the column definition of the target DDL where the target tells,
     *                     else Caravan's type (with how the target format holds it)
     * @param rule         {@code copy}, {@code cast}, {@code rename}, {@code rename+cast}, {@code derived: ...}
     */
    public record ColumnMapping(String sourceColumn, String sourceType, String targetColumn, String targetType,
            String rule) {
    }
}
