package dev.caravan.core.records;

import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;

/**
 * The hook between source and sink: binds to one source table's schema and returns the target schema and a
 * per-record function (rename, cast, drop, derive). The schema mapping of the formats module plugs in here. The
 * bound mapping is called from several threads at once, so it must be stateless or thread-safe.
 */
@FunctionalInterface
public interface RecordMapping {

    /** Leaves schemas and records as they are. */
    RecordMapping IDENTITY = source -> new Bound(source, r -> r);

    /** Binds the mapping to a source table. */
    Bound bind(Schema source);

    /** Whether this is {@link #IDENTITY} (lets verification use digests computed in SQL on both sides). */
    default boolean isIdentity() {
        return this == IDENTITY;
    }

    /**
     * A mapping bound to one table.
     *
     * @param schema   the schema records have after mapping (what the sink is opened with); its key columns are
     *                 those used for checkpoints, so keep them
     * @param function the record function; never returns {@code null}
     */
    record Bound(Schema schema, java.util.function.UnaryOperator<DataRecord> function) {
    }
}
