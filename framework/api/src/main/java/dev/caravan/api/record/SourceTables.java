package dev.caravan.api.record;

import java.util.List;

/**
 * Capability of a source opened on a whole database (no table chosen): the tables it holds and a source per
 * table. Fallback when absent: the source is one table (or one query) and a whole-database migration is refused.
 */
public interface SourceTables extends RecordCapability {
    /**
     * The tables selected by the source's include/exclude settings, referenced tables before the tables whose
     * foreign keys point at them (cycles are broken arbitrarily). Never {@code null}.
     */
    List<String> tables();

    /** A source reading one of {@link #tables()}; close it after use. */
    RecordSource table(String name);
}
