package dev.caravan.application;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.SinkTables;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.application.model.Phase;
import dev.caravan.application.model.Redaction;
import dev.caravan.application.model.Step;
import dev.caravan.core.records.RecordMigrationListener;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.records.TablePreview;
import dev.caravan.core.registry.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A database step: a whole-database record migration (jdbc to jdbc) run by the core
 * {@link dev.caravan.core.records.RecordMigrationEngine}. With an incremental column the final pass continues from
 * the warm pass's high-water mark in the run's journal (key: new rows; updated-at: new and changed rows, upserted);
 * without one the final pass reloads the tables in place: it empties them in one transaction ({@link
 * JdbcTables#empty}) and loads them again, so that the target's own definition of each table (indexes, defaults,
 * constraints, grants, triggers) stays as it was.
 *
 * <p>The step addresses the target's tables by the names the sink gives the source's tables ({@link
 * SinkTables#targetName}: the jdbc connector's {@code rename} option applied), never by the source's names.
 *
 * <p>Rollback: before the warm pass the step lists the target's tables; each target table that already exists
 * and that the step may write (the target name of a source table) is copied into {@code caravan_bak_<n>}. {@link
 * #compensate} drops every table the run created (retrying in passes, so foreign keys between them do not block)
 * and puts the rows of the backed-up tables back (one transaction).
 */
final class DatabaseStepRunner implements StepRunner {
    private final Step.Database step;
    private final RunContext ctx;
    private final String appName;
    private final List<String> before = new ArrayList<>();
    private final Map<String, String> backups = new LinkedHashMap<>();
    private boolean prepared;

    DatabaseStepRunner(Step.Database step, RunContext ctx, String appName) {
        this.step = step;
        this.ctx = ctx;
        this.appName = appName;
    }

    @Override
    public Step step() {
        return step;
    }

    private TableMigrationSpec spec(Phase phase) {
        Map<String, String> source = new TreeMap<>(step.fromOptions());
        if (!step.include().isEmpty()) {
            source.put("include", String.join(",", step.include()));
        }
        if (!step.exclude().isEmpty()) {
            source.put("exclude", String.join(",", step.exclude()));
        }
        Map<String, String> target = new TreeMap<>(step.toOptions());
        if ("updated-at".equals(step.incrementalMode())) {
            target.putIfAbsent("mode", "upsert");
        }
        TableMigrationSpec.Builder b = TableMigrationSpec.builder(step.from(), step.to())
                .name(appName + "/" + step.id()).sourceOptions(source).targetOptions(target)
                .parallelism(step.parallelism())
                .verify(TableMigrationSpec.Verify.valueOf(step.verify().toUpperCase(Locale.ROOT)));
        if (step.incrementalColumn() != null) {
            b.incremental(step.incrementalColumn(), "key".equals(step.incrementalMode())
                    ? TableMigrationSpec.Incremental.Mode.KEY : TableMigrationSpec.Incremental.Mode.UPDATED_AT);
        }
        return b.build();
    }

    @Override
    public StepPreview preview() {
        List<String> checks = new ArrayList<>();
        Map<String, Object> figures = new LinkedHashMap<>();
        long rows = 0;
        List<String> tables;
        try (JdbcTables source = openSource()) {
            tables = source.tables(step.include(), step.exclude());
            for (String t : tables) {
                rows += source.count(t);
            }
        }
        if (tables.isEmpty() && step.include().isEmpty()) { // (an include the source lacks: the engine names it)
            return new StepPreview(Map.of("tables", 0), List.of("FAIL source: no table to move in "
                    + Redaction.text(step.from()) + (step.exclude().isEmpty() ? "" : " (exclude "
                    + step.exclude() + ")") + "; check the URL and its schema"), null);
        }
        TableMigrationSpec spec = spec(Phase.WARM);
        if (JdbcTables.missingFile(step.to())) {
            // opening an embedded database creates its file: plan against a scratch one of the same kind instead
            String scratch = step.to().contains(":sqlite:") ? "jdbc:sqlite:" + ctx.runDir.resolve("plan.db")
                    : "jdbc:h2:" + ctx.runDir.resolve("plan");
            spec = TableMigrationSpec.builder(step.from(), scratch).name(spec.name())
                    .sourceOptions(spec.sourceOptions()).targetOptions(spec.targetOptions())
                    .parallelism(spec.parallelism()).verify(spec.verify()).build();
        }
        List<TablePreview> previews = ctx.records.plan(spec, 0);
        figures.put("tables", previews.size());
        figures.put("rows", rows);
        figures.put("splits", previews.stream().mapToInt(p -> p.splits().size()).sum());
        checks.add("OK source: " + tables.size() + " table(s) " + tables);
        if (JdbcTables.missingFile(step.to())) {
            checks.add("OK target: the database file does not exist yet; the run creates it");
        } else {
            try (JdbcTables target = JdbcTables.open(step.to(), step.toOptions())) {
                List<String> existing = new ArrayList<>(written(target.tables(List.of(), List.of()), tables)
                        .keySet());
                boolean replace = "replace".equalsIgnoreCase(step.toOptions().get("mode"));
                checks.add(existing.isEmpty() ? "OK target: no table of the step exists yet"
                        : "WARN target: " + existing + " exist; they would be backed up before the load" + (replace
                        ? ", and toOptions mode replace recreates them with the source's definition: their own "
                        + "indexes, defaults and constraints are not kept, not even by a rollback"
                        : step.incrementalColumn() != null ? ""
                        : ", and the final pass empties and reloads them in place (their definition is kept)"));
                if (step.incrementalColumn() == null && !replace) {
                    target.keysFromOutside(existing).forEach(k -> checks.add("FAIL target: the final pass (no "
                            + "incremental column) empties and reloads the step's tables, which a table outside the "
                            + "step refers to (" + k + "): include that table in the step, drop the foreign key, or "
                            + "give the step an incremental column"));
                }
            }
        }
        checks.add(step.incrementalColumn() == null ? "WARN final pass: no incremental column, tables are reloaded"
                : "OK final pass: incremental by " + step.incrementalMode() + " column " + step.incrementalColumn());
        return new StepPreview(figures, checks, null);
    }

    /** The source database; an embedded file that does not exist is refused (its driver would create it). */
    private JdbcTables openSource() {
        if (JdbcTables.missingFile(step.from())) {
            throw MigrationException.userConfig("the source database file of " + Redaction.text(step.from())
                    + " does not exist (opening it would create an empty one)");
        }
        return JdbcTables.open(step.from(), step.fromOptions());
    }

    /**
     * The tables among {@code targetTables} (as the target spells them) that the step writes, each with the source
     * table loaded into it; names compared case-insensitively.
     */
    private Map<String, String> written(List<String> targetTables, List<String> sourceTables) {
        Map<String, String> sourceByTarget = new HashMap<>();
        targetNames(sourceTables).forEach((s, t) -> sourceByTarget.put(t.toLowerCase(Locale.ROOT), s));
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : targetTables) {
            String s = sourceByTarget.get(t.toLowerCase(Locale.ROOT));
            if (s != null) {
                out.put(t, s);
            }
        }
        return out;
    }

    /** Each source table -> the name the step's sink gives it in the target (its renames applied). */
    private Map<String, String> targetNames(List<String> sourceTables) {
        Endpoint to = Endpoint.parse(step.to());
        if (!(ctx.registry.require(to.scheme()) instanceof RecordProvider provider)) {
            throw MigrationException.userConfig("connector '" + to.scheme() + "' does not write tables");
        }
        Map<String, String> out = new LinkedHashMap<>();
        try (RecordSink sink = provider.openSink(to.location(), provider.options().resolve(step.toOptions()))) {
            SinkTables tables = sink.capability(SinkTables.class).orElse(null);
            sourceTables.forEach(s -> out.put(s, tables == null ? s : tables.targetName(s)));
        }
        return out;
    }

    @Override
    public void prepare() {
        List<String> sourceTables = sourceTables();
        try (JdbcTables target = JdbcTables.open(step.to(), step.toOptions())) {
            before.addAll(target.tables(List.of(), List.of()));
            save();
            prepared = true;
            int n = 0;
            for (String t : written(before, sourceTables).keySet()) {
                String copy = "caravan_bak_" + Long.toString(System.currentTimeMillis(), 36) + "_" + n++;
                target.backup(t, copy);
                backups.put(t, copy);
                save();
            }
        }
    }

    private void save() {
        RunState.saveSnapshot(ctx.runDir, step.id(), Map.of("before", new ArrayList<>(before), "backups",
                new LinkedHashMap<>(backups)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> snapshot) {
        before.addAll((List<String>) snapshot.get("before"));
        backups.putAll((Map<String, String>) snapshot.get("backups"));
        prepared = true;
    }

    @Override
    public Map<String, Object> pass(Phase phase) {
        boolean reload = phase == Phase.FINAL && step.incrementalColumn() == null;
        List<String> sourceTables = sourceTables();
        List<String> tables;
        try (JdbcTables target = JdbcTables.open(step.to(), step.toOptions())) {
            tables = new ArrayList<>(written(target.tables(List.of(), List.of()), sourceTables).keySet());
            if (reload) {
                target.empty(tables);
            }
        }
        // the target's own foreign keys between the tables hold during the load: the engine loads a table the target
        // had after the tables it references, each level in parallel (LoadLevels), so no row arrives before its parent
        RecordMigrationResult r = (reload ? ctx.reloads() : ctx.records).run(spec(phase), RecordMigrationListener.NONE);
        if (r.outcome() != RunOutcome.COMPLETE) {
            VerificationReport v = r.verification();
            throw new MigrationException(ErrorKind.FATAL, "database " + Redaction.text(step.from()) + " -> "
                    + Redaction.text(step.to()) + ": " + r.outcome() + (r.errors().isEmpty() ? ""
                    : ": " + String.join("; ", r.errors())) + (v == null || v.clean() ? ""
                    : ": " + describe(v)) + (r.rejected() == 0 ? "" : " (" + r.rejected() + " row(s) refused by "
                    + "the target, e.g. keys it already had)"));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("tables", r.tables().size());
        figures.put("rows", r.rows());
        figures.put("rejected", r.rejected());
        if (reload) {
            figures.put("emptied", tables.size());
        }
        figures.put("ms", r.duration().toMillis());
        return figures;
    }

    /** The source's tables the step moves. */
    private List<String> sourceTables() {
        try (JdbcTables source = openSource()) {
            return source.tables(step.include(), step.exclude());
        }
    }

    @Override
    public Verdict verify() {
        VerificationReport report = ctx.records.verify(spec(Phase.FINAL));
        return new Verdict(report.clean(), step.verify() + " per key range", describe(report));
    }

    private static String describe(VerificationReport report) {
        return report.counts() + (report.clean() ? "" : " first: " + report.problems().stream().limit(5)
                .map(p -> p.item() + " " + p.outcome() + " " + p.detail()).toList());
    }

    @Override
    public String compensate() {
        if (!prepared) {
            return "nothing to undo";
        }
        try (JdbcTables target = JdbcTables.open(step.to(), step.toOptions())) {
            List<String> created = new ArrayList<>(target.tables(List.of(), List.of()));
            created.removeAll(before);
            List<String> dropped = new ArrayList<>();
            String lastError = null;
            for (int round = 0; round <= created.size() && dropped.size() < created.size(); round++) {
                for (String t : created) {
                    if (!dropped.contains(t)) {
                        try {
                            target.drop(t);
                            dropped.add(t);
                        } catch (MigrationException e) {
                            lastError = e.getMessage(); // referenced by another created table: next round
                        }
                    }
                }
            }
            List<String> already = new ArrayList<>();
            Map<String, String> pending = new LinkedHashMap<>();
            for (Map.Entry<String, String> b : backups.entrySet()) {
                if (target.exists(b.getValue())) {
                    pending.put(b.getKey(), b.getValue());
                } else {
                    already.add(b.getKey()); // a compensation killed after it restored and dropped the copy
                }
            }
            target.restore(pending);
            String text = "dropped " + dropped.size() + " table(s) this run created " + dropped + ", restored "
                    + (backups.size() - already.size()) + " from backup " + backups.keySet().stream()
                    .filter(t -> !already.contains(t)).toList() + (already.isEmpty() ? ""
                    : " (" + already + " restored already: their backup copy is gone)");
            return dropped.size() < created.size() ? "FAILED to drop " + created + " (" + lastError + "); " + text
                    : text;
        } catch (RuntimeException e) {
            return "FAILED: " + e.getMessage();
        }
    }
}
