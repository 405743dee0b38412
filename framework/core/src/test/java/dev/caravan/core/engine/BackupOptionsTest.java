package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --backup-option}: a backup dir on another connector (or another endpoint of the target's) opens with its own
 * options, not the target's nor none; its secrets are masked in the journal's definition and the report, and
 * {@code caravan resume} asks for them again.
 */
class BackupOptionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path home;

    /** The options each location of scheme {@code bk} was opened with. */
    private final Map<String, Map<String, String>> openedWith = new ConcurrentHashMap<>();
    private final String secret = UUID.randomUUID().toString();
    private final byte[] oldA = UUID.randomUUID().toString().getBytes();
    private final byte[] newA = (UUID.randomUUID() + " new").getBytes();
    private MigrationEngine engine;

    @BeforeEach
    void stores() {
        MemoryStore.reset();
        MemoryStore.named("src").add("a", newA, T0.plusSeconds(60));
        MemoryStore.named("dst").add("a", oldA, T0);
        StoreProvider backupConnector = new StoreProvider() {
            @Override
            public String scheme() {
                return "bk";
            }

            @Override
            public String description() {
                return "a backup connector recording its options";
            }

            @Override
            public Options options() {
                return Options.of("bk", OptionDef.of("endpoint", OptionType.STRING, "where"),
                        OptionDef.of("token", OptionType.PASSWORD, "a secret"));
            }

            @Override
            public ObjectStore open(String location, Config config) {
                openedWith.put(location, Map.of("endpoint", config.get("endpoint").orElse(""),
                        "token", config.get("token").orElse("")));
                return MemoryStore.named("bk-" + location);
            }
        };
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")),
                ConnectorRegistry.of(new MemoryStoreProvider(), backupConnector));
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        engine.close();
    }

    private MigrationSpec spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").mode(Mode.SYNC)
                .backup(new BackupDir("bk:old", null, false, Map.of("endpoint", "http://127.0.0.1:1", "token", secret)))
                .build();
    }

    @Test
    void aBackupDirOnAnotherConnectorOpensWithItsOwnOptionsAndKeepsTheOldVersion() {
        RunResult r = engine.run(spec(), ProgressListener.NONE);

        assertThat(r.exitCode()).isZero();
        assertThat(openedWith.get("old")).containsEntry("endpoint", "http://127.0.0.1:1").containsEntry("token", secret);
        assertThat(MemoryStore.named("bk-old").bytes("a")).isEqualTo(oldA);
        assertThat(MemoryStore.named("dst").bytes("a")).isEqualTo(newA);
    }

    @Test
    void itsSecretsAreMaskedInTheReportAndTheJournalAndResumeAsksForThemAgain() throws Exception {
        MemoryStore.named("dst").beforePut = key -> {
            if (!key.contains("probe")) { // the write probe passes: the run starts, then dies at the overwrite
                throw new MigrationException(dev.caravan.api.error.ErrorKind.FATAL, "stopped before the overwrite");
            }
        };
        assertThatThrownBy(() -> engine.run(spec(), ProgressListener.NONE)).isInstanceOf(MigrationException.class);
        String runId = engine.journal().runs(1).get(0).runId();
        String definition = engine.journal().definition(runId).orElseThrow();
        assertThat(definition).doesNotContain(secret).contains("http://127.0.0.1:1");
        assertThatThrownBy(() -> engine.resume(runId, ProgressListener.NONE))
                .hasMessageContaining("--backup-option token=...");
        MemoryStore.named("dst").beforePut = key -> { };

        RunResult resumed = engine.resume(runId, Map.of(), Map.of(), Map.of("token", secret),
                java.util.function.UnaryOperator.identity(), ProgressListener.NONE);

        assertThat(resumed.exitCode()).isZero();
        assertThat(openedWith.get("old")).containsEntry("token", secret);
        assertThat(MemoryStore.named("bk-old").bytes("a")).isEqualTo(oldA);
        assertThat(Files.readString(resumed.reportJson())).doesNotContain(secret).contains("backup.token");
        assertThat(Files.readString(resumed.reportHtml())).doesNotContain(secret);
        assertThat(spec().backup().toString()).doesNotContain(secret);
    }

    @Test
    void backupOptionsWithoutABackupDirAreRefused() {
        assertThatThrownBy(() -> BackupDir.of(null, null, false, Map.of("token", secret)))
                .hasMessageContaining("give the backup dir too").hasMessageNotContaining(secret);
    }
}
