package dev.caravan.core.engine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Process-wide settings of a {@link MigrationEngine}.
 *
 * @param journalUrl       JDBC URL of the journal; {@code null} for the embedded H2 file under {@code home}, opened in
 *                         H2's automatic mixed mode ({@code AUTO_SERVER}): another caravan process on the same home
 *                         ({@code caravan status}, a second migration) goes through the one that opened it, on loopback
 * @param home             Caravan's working directory (journal, reports); default {@code ~/.caravan}
 * @param reportDir        where run reports go; {@code null} for {@code home/reports}
 * @param progressInterval how often progress listeners are called
 * @param workerId         this process's name when several workers share one run through a PostgreSQL journal
 *                         (partitions claimed with leases), or {@code null} for one process doing all the work
 */
public record EngineSettings(String journalUrl, Path home, Path reportDir, Duration progressInterval,
        String workerId) {

    public EngineSettings(String journalUrl, Path home, Path reportDir, Duration progressInterval) {
        this(journalUrl, home, reportDir, progressInterval, null);
    }

    public EngineSettings {
        if (home == null) {
            String env = System.getenv("CARAVAN_HOME");
            home = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".caravan");
        }
        if (reportDir == null) {
            reportDir = home.resolve("reports");
        }
        if (journalUrl == null || journalUrl.isBlank()) {
            String env = System.getenv("CARAVAN_JOURNAL_URL");
            journalUrl = env != null && !env.isBlank() ? env
                    : "jdbc:h2:file:" + home.toAbsolutePath().resolve("journal") + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
        }
        if (progressInterval == null) {
            progressInterval = Duration.ofSeconds(1);
        }
    }

    /** Defaults: {@code CARAVAN_HOME} or {@code ~/.caravan}, {@code CARAVAN_JOURNAL_URL} or embedded H2. */
    public static EngineSettings defaults() {
        return new EngineSettings(null, null, null, null);
    }

    public EngineSettings withHome(Path value) {
        return new EngineSettings(null, value, null, progressInterval, workerId);
    }

    public EngineSettings withJournalUrl(String value) {
        return new EngineSettings(value, home, reportDir, progressInterval, workerId);
    }

    /** Shares runs with other workers on the same journal under this name (unique per process). */
    public EngineSettings withWorker(String value) {
        return new EngineSettings(journalUrl, home, reportDir, progressInterval, value);
    }
}
