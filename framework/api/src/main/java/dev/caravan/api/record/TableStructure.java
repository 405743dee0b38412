package dev.caravan.api.record;

/**
 * Capability of a sink that manages the structure of its target table around a load, in the order a fast load
 * needs: {@link #prepare} (create, replace or empty the table; no secondary indexes yet), load the data, then
 * {@link #finish} (indexes, identity/sequence restart at max + 1), then, once every table of a database is
 * loaded, {@link #addForeignKeys}. Each step is idempotent, so a resumed run may repeat it. Fallback when absent:
 * {@link RecordSink#open} prepares what it needs and there is no after-load step.
 */
public interface TableStructure extends RecordCapability {
    /**
     * The statements {@link #prepare} and {@link #finish} would run, without running them (for plans and
     * previews).
     *
     * @param definition the source's structure, or {@code null} when the source has none
     */
    String preview(Schema schema, TableDefinition definition);

    /**
     * Makes the target table ready to receive records of {@code schema}.
     *
     * @param definition   the source's structure, or {@code null}
     * @param keepExisting true for a continuing (incremental) run: never drop or empty an existing table
     */
    void prepare(Schema schema, TableDefinition definition, boolean keepExisting);

    /** Creates secondary indexes and unique constraints and restarts identity columns after the loaded rows. */
    void finish(Schema schema, TableDefinition definition);

    /** Adds the definition's foreign keys (their referenced tables must be loaded). */
    void addForeignKeys(Schema schema, TableDefinition definition);
}
