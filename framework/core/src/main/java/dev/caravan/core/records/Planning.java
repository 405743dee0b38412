package dev.caravan.core.records;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.DescribedSource;
import dev.caravan.api.record.IncrementalSource;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.SinkTables;
import dev.caravan.api.record.SourceTables;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.TableDefinition;
import dev.caravan.api.record.TableStructure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a spec into {@link TableJob}s: the tables (one, or every table of a database source in foreign-key order),
 * their mapped schemas and definitions, the incremental window, and the splits, which a resumed run takes from the
 * journal (so a source that grew since cannot move split bounds under checkpoints).
 */
final class Planning {
    /** Prefix of the incremental state kept per table in the journal's run state. */
    static final String STATE = "incremental.";
    /**
     * Prefix of the run state that names, per table, the run whose tasks completed it; kept by every complete run
     * of a full (not incremental) migration, so the next run can skip the table.
     */
    static final String COMPLETED_BY = "completedBy.";

    private final TableMigrationSpec spec;
    private final Journal journal;
    private final TaskItems ids;
    private final RunInfo run;

    Planning(TableMigrationSpec spec, Journal journal, TaskItems ids, RunInfo run) {
        this.spec = spec;
        this.journal = journal;
        this.ids = ids;
        this.run = run;
    }

    List<TableJob> plan(RecordSource source, RecordSink sink) {
        List<TableJob> jobs = new ArrayList<>();
        try {
            for (Table t : tables(source, sink)) {
                jobs.add(job(t));
            }
            return jobs;
        } catch (RuntimeException e) {
            jobs.forEach(TableJob::close);
            throw e;
        }
    }

    /** A table's source and sink, opened (not yet described). */
    record Table(String name, RecordSource source, RecordSink sink, boolean owned) {
    }

    static List<Table> tables(RecordSource source, RecordSink sink) {
        Optional<SourceTables> st = source.capability(SourceTables.class);
        if (st.isEmpty()) {
            return List.of(new Table(source.schema().name(), source, sink, false));
        }
        SinkTables targets = sink.capability(SinkTables.class).orElseThrow(() -> MigrationException.userConfig(
                "the source is a whole database but the target is a single table: choose a source table, or a "
                        + "target that is a database"));
        List<Table> out = new ArrayList<>();
        for (String name : st.get().tables()) {
            out.add(new Table(name, st.get().table(name), targets.table(name), true));
        }
        return out;
    }

    private TableJob job(Table t) {
        RecordSource base = t.source();
        Schema schema = base.schema();
        RecordMapping.Bound mapping = bind(spec, schema);
        TableDefinition def = base.capability(DescribedSource.class).map(DescribedSource::definition).orElse(null);
        RecordSource src = base;
        RecordSource verifySource = base;
        String high = null;
        boolean keep = false;
        boolean rows = loadsRows(t.sink());
        if (!rows && spec.incremental() != null) {
            throw MigrationException.userConfig("the target of " + t.name() + " takes the structure only (load=schema)"
                    + " and an incremental run copies rows: run it without incremental settings");
        }
        Optional<TaskRecord> prep = journal.task(ids.prepare(t.name()))
                .filter(r -> run.resumed() && r.runId().equals(run.runId()));
        if (spec.incremental() != null) {
            String col = spec.incremental().column();
            IncrementalSource inc = base.capability(IncrementalSource.class).orElseThrow(() ->
                    MigrationException.userConfig("the source of " + t.name() + " cannot read incrementally"));
            String previous = run.previousState().get(STATE + t.name());
            high = prep.isPresent() ? TaskItems.highWater(prep.get().spec().item())
                    : inc.highWater(col).orElse(previous);
            src = inc.window(col, previous, high);
            keep = previous != null;
            if (spec.incremental().mode() == TableMigrationSpec.Incremental.Mode.KEY && high != null) {
                verifySource = inc.window(col, null, high);
            }
        }
        String completedBy = completedBefore(t.name(), t.owned(), rows);
        if (completedBy != null) {
            return new TableJob(t.name(), base, src, verifySource, t.owned() ? t.sink() : new Unclosed(t.sink()),
                    schema, mapping, def, splitTasks(t.name(), completedBy).stream()
                            .map(r -> TaskItems.split(r.spec().item())).toList(), high, keep, ids, completedBy);
        }
        // names and keys the target cannot take are bad input now, before any table is prepared or written
        boolean keepExisting = keep;
        t.sink().capability(TableStructure.class).ifPresent(s -> s.check(mapping.schema(), def, keepExisting));
        List<Split> splits = prep.isPresent() ? splitTasks(t.name(), run.runId()).stream()
                .map(r -> TaskItems.split(r.spec().item())).toList() : List.of();
        if (splits.isEmpty() && rows) { // a structure-only table has no split to copy
            splits = src.splits(spec.splitsPerTable());
        }
        return new TableJob(t.name(), base, src, verifySource, t.owned() ? t.sink() : new Unclosed(t.sink()), schema,
                mapping, def, splits, high, keep, ids);
    }

    /**
     * The run that completed a table before, when this run may skip it: the last complete run of this full
     * migration named that run for the table, and the journal still has every task of the table (prepare, each
     * split, finish, and constraints for a whole database) done by it. {@code null} otherwise: in incremental runs
     * (the window decides what to copy), when the target is reloaded on every run (target options
     * {@code mode=replace} or {@code truncate=true}), and when any task of the table is missing or unfinished, so
     * a table a killed or failed run left partly done continues from its checkpoints. A table whose target takes no
     * rows ({@code rows} false) has no split tasks.
     */
    private String completedBefore(String table, boolean whole, boolean rows) {
        String by = run.previousState().get(COMPLETED_BY + table);
        if (by == null || spec.incremental() != null || reloads(spec)) {
            return null;
        }
        List<TaskRecord> tasks = new ArrayList<>(splitTasks(table, by));
        if (tasks.isEmpty() && rows) {
            return null;
        }
        for (dev.caravan.api.journal.TaskId id : whole ? List.of(ids.prepare(table), ids.finish(table),
                ids.constraints(table)) : List.of(ids.prepare(table), ids.finish(table))) {
            Optional<TaskRecord> r = journal.task(id);
            if (r.isEmpty()) {
                return null;
            }
            tasks.add(r.get());
        }
        return tasks.stream().allMatch(r -> r.state() == TaskState.DONE && r.runId().equals(by)) ? by : null;
    }

    /** Whether the sink takes rows, or only the structure ({@link TableStructure#loadsRows}). */
    static boolean loadsRows(RecordSink sink) {
        return sink.capability(TableStructure.class).map(TableStructure::loadsRows).orElse(true);
    }

    /** Whether the target options ask for the table to be emptied or recreated by every run. */
    static boolean reloads(TableMigrationSpec spec) {
        return "replace".equalsIgnoreCase(spec.targetOptions().get("mode"))
                || "true".equalsIgnoreCase(spec.targetOptions().get("truncate"));
    }

    /** The split tasks a run planned for a table, from the journal, in split order. */
    private List<TaskRecord> splitTasks(String table, String runId) {
        Optional<TaskRecord> whole = journal.task(ids.split(table, Split.whole().id()))
                .filter(r -> r.runId().equals(runId));
        if (whole.isPresent()) {
            return List.of(whole.get());
        }
        List<TaskRecord> out = new ArrayList<>();
        for (int i = 0;; i++) {
            Optional<TaskRecord> r = journal.task(ids.split(table, Integer.toString(i)))
                    .filter(x -> x.runId().equals(runId));
            if (r.isEmpty()) {
                return out;
            }
            out.add(r.get());
        }
    }

    static RecordMapping.Bound bind(TableMigrationSpec spec, Schema schema) {
        return spec.mapping().isIdentity() ? new RecordMapping.Bound(schema, null) : spec.mapping().bind(schema);
    }

    /** Jobs for a verification without a run: fresh splits, no incremental window, the source's definition. */
    static List<TableJob> forVerification(TableMigrationSpec spec, RecordSource source, RecordSink sink) {
        List<TableJob> jobs = new ArrayList<>();
        TaskItems ids = new TaskItems("", "");
        for (Table t : tables(source, sink)) {
            Schema schema = t.source().schema();
            TableDefinition def = t.source().capability(DescribedSource.class).map(DescribedSource::definition)
                    .orElse(null); // what a structure-only target is held against
            jobs.add(new TableJob(t.name(), t.source(), t.source(), t.source(), t.owned() ? t.sink()
                    : new Unclosed(t.sink()), schema, bind(spec, schema), def, List.of(), null, false, ids));
        }
        return jobs;
    }

    static List<TablePreview> preview(TableMigrationSpec spec, RecordSource source, RecordSink sink, int sample) {
        List<TablePreview> out = new ArrayList<>();
        for (Table t : tables(source, sink)) {
            try {
                Schema schema = t.source().schema();
                RecordMapping.Bound mapping = bind(spec, schema);
                TableDefinition def = t.source().capability(DescribedSource.class).map(DescribedSource::definition)
                        .orElse(null);
                Schema target = mapping.schema();
                Optional<TableStructure> structure = t.sink().capability(TableStructure.class);
                structure.ifPresent(s -> s.check(target, def));
                String ddl = structure.map(s -> s.preview(target, def)).orElse(null);
                boolean loads = loadsRows(t.sink());
                List<Split> splits = loads ? t.source().splits(spec.splitsPerTable()) : List.of();
                List<DataRecord> rows = new ArrayList<>();
                if (sample > 0 && loads) {
                    try (RecordReader r = t.source().open(splits.get(0), Checkpoint.EMPTY)) {
                        Optional<RecordBatch> b = r.nextBatch();
                        for (DataRecord rec : b.map(RecordBatch::records).orElse(List.of())) {
                            if (rows.size() >= sample) {
                                break;
                            }
                            rows.add(mapping.function() == null ? rec : mapping.function().apply(rec));
                        }
                    }
                }
                out.add(new TablePreview(t.name(), schema, target, ddl, splits, rows));
            } finally {
                if (t.owned()) {
                    t.source().close();
                    t.sink().close();
                }
            }
        }
        return out;
    }

    /** A sink the job must not close (the caller's single-table sink). */
    private record Unclosed(RecordSink delegate) implements RecordSink {
        @Override
        public dev.caravan.api.record.RecordWriter open(Schema schema, Split split) {
            return delegate.open(schema, split);
        }

        @Override
        public <C extends dev.caravan.api.record.RecordCapability> Optional<C> capability(Class<C> type) {
            return delegate.capability(type);
        }
    }
}
