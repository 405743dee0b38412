package dev.caravan.core.engine;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.RunSummary;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stores a run's recorded uploads may have been begun on, by the {@link ObjectStore#uri()} recorded with each
 * ({@link MultipartCopy#UPLOAD_STORE}): the run's target and backup dir, open already, and the backup dirs of the
 * journal's newest {@value #RUNS_LOOKED_AT} runs (their definitions), opened only when an upload recorded on a store
 * not open is looked for, one at a time until one is that store. An earlier backup dir is opened with the options its
 * run recorded; its secrets, which the journal does not keep, are taken by name from this run's backup dir or target on
 * the same connector, and without options of its own it takes the target's on the target's connector, as
 * {@link Backups#options} has it. {@link #close} closes what it opened; it can be used again after. Not thread-safe.
 */
final class UploadStores implements AutoCloseable {
    /** How many of the journal's newest runs' backup dirs are looked at. */
    static final int RUNS_LOOKED_AT = 100;
    private static final Logger LOG = LoggerFactory.getLogger(UploadStores.class);

    private final JdbcJournal journal;
    private final ConnectorRegistry registry;
    private final MigrationSpec spec;
    private final Map<String, ObjectStore> open = new HashMap<>();
    /** The run's stores, which {@link #close} leaves open. */
    private final Set<ObjectStore> runs = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final List<ObjectStore> opened = new ArrayList<>();
    /** The earlier runs' backup dirs not opened yet; null until looked for. */
    private Iterator<BackupDir> candidates;

    /**
     * @param backups the run's backup dir, or null without one
     */
    UploadStores(JdbcJournal journal, ConnectorRegistry registry, MigrationSpec spec, ObjectStore target,
            Backups backups) {
        this.journal = journal;
        this.registry = registry;
        this.spec = spec;
        runs.add(target);
        if (backups != null) {
            runs.add(backups.store());
        }
        runs.forEach(store -> open.put(store.uri(), store));
    }

    /** The store whose {@link ObjectStore#uri()} is {@code uri}; empty when neither the run's nor an earlier one is. */
    Optional<ObjectStore> find(String uri) {
        if (candidates == null) {
            candidates = earlierBackupDirs().iterator();
        }
        while (!open.containsKey(uri) && candidates.hasNext()) {
            BackupDir dir = candidates.next();
            try {
                ObjectStore store = registry.openStore(dir.location(), Backups.options(dir, spec));
                if (!runs.contains(store)) {
                    opened.add(store);
                    open.putIfAbsent(store.uri(), store);
                }
            } catch (RuntimeException e) {
                LOG.debug("the earlier backup dir {} cannot be opened: {}", dir.location(), e.getMessage());
            }
        }
        return Optional.ofNullable(open.get(uri));
    }

    /** The distinct backup dirs of the journal's newest runs, newest first. */
    private List<BackupDir> earlierBackupDirs() {
        Map<String, String> secrets = new HashMap<>(spec.targetOptions());
        if (spec.backup() != null) {
            secrets.putAll(spec.backup().options());
        }
        List<BackupDir> dirs = new ArrayList<>();
        Set<BackupDir> seen = new HashSet<>();
        for (RunSummary run : journal.runs(RUNS_LOOKED_AT)) {
            journal.definition(run.runId()).flatMap(json -> SpecJson.backupOf(json, secrets)).filter(seen::add)
                    .ifPresent(dirs::add);
        }
        return dirs;
    }

    /** Closes the stores it opened (not the run's), and forgets them. */
    @Override
    public void close() {
        for (ObjectStore store : opened) {
            open.values().remove(store);
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.debug("closing {}: {}", store.uri(), e.getMessage());
            }
        }
        opened.clear();
        candidates = null;
    }
}
