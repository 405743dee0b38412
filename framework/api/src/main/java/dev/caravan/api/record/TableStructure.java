package dev.caravan.api.record;

import java.util.List;
import java.util.Map;

/**
 * Capability of a sink that manages the structure of its target table around a load, in the order a fast load
 * needs: {@link #prepare} (create, replace or empty the table; no secondary indexes yet), load the data, then
 * {@link #finish} (indexes, identity/sequence restart at max + 1), then, once every table of a database is
 * loaded, {@link #addForeignKeys}. What {@link #prepare} decided (e.g. that it created the table and deferred its
 * primary key) comes back as a small namespaced map ({@code jdbc.created}) that the caller keeps in the journal and
 * hands to {@link #finish}, possibly in another process after a resume. Each step is idempotent, so a resumed run
 * may repeat it. Fallback when absent: {@link RecordSink#open} prepares what it needs and there is no after-load
 * step.
 */
public interface TableStructure extends RecordCapability {
    /**
     * The key of {@link #prepare}'s answer that says, with {@code "true"}, that the target table existed before and
     * was kept (appended to, emptied): its own constraints hold during the load, foreign keys among them, so the
     * caller loads it after the tables it references.
     */
    String EXISTED = "table.existed";

    /**
     * The key of {@link #prepare}'s answer that lists, one per line, the tables the foreign keys of a table that
     * {@link #EXISTED} reference on the target, named as the source names them (renames undone): the caller loads it
     * after those too, also when the source declares no such key (a legacy source, a schema the application made).
     */
    String REFERENCES = "table.references";

    /**
     * The key of {@link #prepare}'s answer that names the table into which the rows of the target table were copied
     * before it was dropped or emptied (the jdbc option {@code keepReplaced}), in the target table's schema; absent
     * when nothing was kept. The caller reports it with {@link #KEPT_ROWS}.
     */
    String KEPT_TABLE = "table.kept";

    /** The key of {@link #prepare}'s answer that gives the number of rows in the {@link #KEPT_TABLE}. */
    String KEPT_ROWS = "table.keptRows";

    /**
     * The statements {@link #prepare} and {@link #finish} would run, without running them (for plans and
     * previews).
     *
     * @param definition the source's structure, or {@code null} when the source has none
     */
    String preview(Schema schema, TableDefinition definition);

    /**
     * Refuses, before anything is written, a table this sink cannot create or load as asked (a name the target would
     * shorten, a key it cannot index, a replace that would destroy what depends on the table): throws a USER_CONFIG
     * {@link dev.caravan.api.error.MigrationException} that says what to change. Writes nothing (it may read the
     * target's catalog); called for every table while a run is planned and by plans. Default: nothing to check.
     *
     * @param definition the source's structure, or {@code null}
     */
    default void check(Schema schema, TableDefinition definition) {
    }

    /**
     * {@link #check(Schema, TableDefinition)} for a run that will {@link #prepare} the table with
     * {@code keepExisting}: a continuing incremental run never drops or empties the table, so what only a drop would
     * destroy is no reason to refuse it. Default: the two-argument check.
     */
    default void check(Schema schema, TableDefinition definition, boolean keepExisting) {
        check(schema, definition);
    }

    /**
     * Makes the target table ready to receive records of {@code schema}.
     *
     * @param definition   the source's structure, or {@code null}
     * @param keepExisting true for a continuing (incremental) run: never drop or empty an existing table
     * @return what {@link #finish} must know, keys prefixed by the connector; possibly empty, never {@code null}
     */
    Map<String, String> prepare(Schema schema, TableDefinition definition, boolean keepExisting);

    /**
     * {@link #prepare(Schema, TableDefinition, boolean)} within the run {@code runId}. A killed run that is taken up
     * again has the same id, so what a sink names after the run (the jdbc option {@code keepReplaced}'s copy of the
     * rows it drops or empties) is found again on resume rather than made twice. Default: the three-argument prepare.
     *
     * @param runId the journal's run id, never {@code null}
     */
    default Map<String, String> prepare(Schema schema, TableDefinition definition, boolean keepExisting,
            String runId) {
        return prepare(schema, definition, keepExisting);
    }

    /**
     * Creates what was left for after the load (a deferred primary key), secondary indexes and unique constraints,
     * and restarts identity columns after the loaded rows.
     *
     * @param prepared what {@link #prepare} returned (empty when unknown)
     */
    void finish(Schema schema, TableDefinition definition, Map<String, String> prepared);

    /** Adds the definition's foreign keys (their referenced tables must be loaded). */
    void addForeignKeys(Schema schema, TableDefinition definition);

    /**
     * Whether this sink takes rows. {@code false} when it was asked for the structure only (the jdbc target option
     * {@code load=schema}): the caller then reads no row, runs {@link #prepare}, {@link #finish} and
     * {@link #addForeignKeys} as for a load, and verifies the table by {@link #structureDifferences} instead of by its
     * rows. Default: true.
     */
    default boolean loadsRows() {
        return true;
    }

    /**
     * What the target table lacks of the structure {@link #prepare}, {@link #finish} and {@link #addForeignKeys}
     * create for this schema and definition (the table itself, a column, the primary key, an index, a foreign key, an
     * identity column), one sentence each; empty when it has all of it. Reads the target's catalog and writes nothing.
     * Default: empty (the sink cannot tell).
     *
     * @param definition the source's structure, or {@code null}
     */
    default List<String> structureDifferences(Schema schema, TableDefinition definition) {
        return List.of();
    }
}
