package dev.caravan.application;

import dev.caravan.api.journal.Journal;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.records.RecordMigrationEngine;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;

/**
 * What the steps of one application run share: the connectors, one object engine and one record engine on a
 * journal of their own under the run's directory (so a rerun after a rollback starts clean instead of continuing an
 * incremental state whose rows were compensated away), and the directory for backups. Closed at the end of the run.
 */
final class RunContext implements AutoCloseable {
    final ConnectorRegistry registry;
    final Path runDir;
    final MigrationEngine objects;
    final RecordMigrationEngine records;
    private final java.util.Deque<AutoCloseable> resources = new java.util.ArrayDeque<>();
    private final boolean dryRun;
    private RecordMigrationEngine reloads;

    RunContext(ConnectorRegistry registry, Path runDir, boolean dryRun) {
        this.registry = registry;
        this.runDir = runDir;
        this.dryRun = dryRun;
        String journal = dryRun ? "jdbc:h2:mem:caravan-app-plan-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"
                : "jdbc:h2:file:" + runDir.toAbsolutePath().resolve("journal") + ";WRITE_DELAY=0";
        EngineSettings settings = new EngineSettings(journal, runDir, runDir.resolve("reports"), null);
        this.objects = MigrationEngine.open(settings, registry);
        this.records = new RecordMigrationEngine(registry, (Journal) objects.journal());
    }

    /**
     * A record engine on a journal of its own ({@code <run>/journal-reload}), for the final pass of a database step
     * that reloads its tables: in {@link #records}' journal the warm pass completed them, and that engine would skip
     * them as done. Opened at the first call.
     */
    synchronized RecordMigrationEngine reloads() {
        if (reloads == null) {
            JdbcJournal journal = closeLater(JdbcJournal.open(dryRun ? "jdbc:h2:mem:caravan-app-reload-"
                    + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"
                    : "jdbc:h2:file:" + runDir.toAbsolutePath().resolve("journal-reload") + ";WRITE_DELAY=0"));
            reloads = new RecordMigrationEngine(registry, journal);
        }
        return reloads;
    }

    /** Closes {@code resource} (a hypervisor connection a step holds for the whole run) when the run ends. */
    <T extends AutoCloseable> T closeLater(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(RunContext.class).warn("closing a resource of the run: {}", e.getMessage());
            }
        }
        objects.close();
    }
}
