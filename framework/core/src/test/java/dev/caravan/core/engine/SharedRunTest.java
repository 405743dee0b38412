package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.Leases;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.GrantingStore;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers sharing a run through journal leases (the multi-process test with PostgreSQL is an IT). */
class SharedRunTest {
    @TempDir
    Path home;

    /** The journal's URL: an embedded H2 file here, a PostgreSQL database in {@link SharedRunPostgresIT}. */
    String url() {
        return "jdbc:h2:file:" + home.resolve("journal");
    }

    /** A connection of the test's own to the journal's database, beside the workers'. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url() + ";WRITE_DELAY=0;MAX_COMPACT_TIME=0");
    }

    private static MigrationSpec spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1)).build();
    }

    @Test
    void aKeyMapIsRefusedForARunSharedBetweenWorkers() {
        MigrationSpec mapped = spec().toBuilder().keyMap(List.of("replace::=_")).build();
        try (MigrationEngine worker = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl(url()).withWorker("w1"))) {
            assertThatThrownBy(() -> worker.run(mapped, ProgressListener.NONE))
                    .isInstanceOf(dev.caravan.api.error.MigrationException.class)
                    .hasMessageContaining("cannot be used by a run shared between workers");
        }
    }

    @Test
    void theWorkerThatPlansAFilesFromRunNamesTheListedKeysTheSourceLacksInItsResultAndTheReport() throws Exception {
        MemoryStore.resetWithNumbered(3);
        String gone = "gone-" + java.util.UUID.randomUUID();
        MigrationSpec spec = spec().toBuilder().filters(dev.caravan.core.plan.Filters.NONE.withFilesFrom(
                dev.caravan.core.plan.ListedKeys.of(List.of("obj-1", gone), "list.txt"))).build();
        try (MigrationEngine worker = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl(url()).withWorker("w1"))) {
            RunResult r = worker.run(spec, ProgressListener.NONE);

            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.copied()).isEqualTo(1);
            assertThat(r.warnings()).anySatisfy(w -> assertThat(w)
                    .startsWith("1 key of the --files-from list is not on mem:src").endsWith("'" + gone + "'"));
            assertThat(java.nio.file.Files.readString(r.reportJson())).contains("'" + gone + "'");
        }
    }

    private MigrationEngine worker(String name) {
        return MigrationEngine.open(EngineSettings.defaults().withHome(home).withJournalUrl(url()).withWorker(name));
    }

    private static MigrationSpec keepingIn(String backupDir) {
        return spec().toBuilder().backup(new BackupDir(backupDir, null, false)).build();
    }

    /**
     * The worker that plans a shared run makes the write probes a run of one process makes, the backup dir's too, and
     * what they had to leave behind (an S3 probe whose abort was refused) is a warning of every worker's result and of
     * the report, each note a warning of its own.
     */
    @Test
    void theProbesOfASharedRunAreThoseOfARunOfOneProcessAndTheirNotesAreItsWarnings() throws Exception {
        MemoryStore dst = MemoryStore.resetWithNumbered(3);
        MemoryStore bak = MemoryStore.named("bak");
        String targetNote = "the target's probe left " + UUID.randomUUID();
        String backupNote = "the backup dir's probe left " + UUID.randomUUID();
        dst.probeNote = targetNote;
        bak.probeNote = backupNote;
        try (MigrationEngine worker = worker("w1")) {
            RunResult r = worker.run(keepingIn("mem:bak"), ProgressListener.NONE);

            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(bak.putKeys).as("the backup dir's write probe").singleElement()
                    .matches(MemoryStore::isProbe);
            assertThat(r.warnings()).contains(targetNote, backupNote);
            assertThat(java.nio.file.Files.readString(r.reportJson())).contains(targetNote, backupNote);
        }
    }

    /**
     * A plan warning of any length (here two, of 5,000 characters each) reaches, whole, the result and the report of
     * the worker that ends the run, another than the planner: the journal keeps them for it.
     */
    @Test
    void longPlanWarningsReachTheWorkerThatEndsTheRunWhole() throws Exception {
        MemoryStore dst = MemoryStore.resetWithNumbered(3);
        MemoryStore bak = MemoryStore.named("bak");
        String targetNote = "the target's probe left " + "t".repeat(5_000);
        String backupNote = "the backup dir's probe left " + "b".repeat(5_000);
        dst.probeNote = targetNote;
        bak.probeNote = backupNote;
        MigrationSpec spec = keepingIn("mem:bak");
        try (MigrationEngine planner = worker("w1"); MigrationEngine finisher = worker("w2")) {
            planner.requestStop(); // it plans, then stops before its first task
            assertThatThrownBy(() -> planner.run(spec, ProgressListener.NONE))
                    .hasMessageStartingWith("stopped at a task boundary");

            RunResult r = finisher.run(spec, ProgressListener.NONE);

            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.warnings()).containsSubsequence(targetNote, backupNote);
            assertThat(java.nio.file.Files.readString(r.reportJson())).contains(targetNote, backupNote);
        }
    }

    @Test
    void aBackupDirItCannotWriteToRefusesTheSharedRunBeforeAnythingIsCopied() {
        MemoryStore dst = MemoryStore.resetWithNumbered(3);
        MemoryStore.named("bak").refusePutsOf = "";
        MigrationSpec spec = keepingIn("mem:bak");
        try (MigrationEngine worker = worker("w1")) {
            assertThatThrownBy(() -> worker.run(spec, ProgressListener.NONE))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageStartingWith("cannot write to the backup dir mem:bak")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);

            assertThat(dst.copiedKeys()).as("nothing copied").isEmpty();
            assertThat(((JdbcJournal) worker.journal()).leases().activeRun(spec.migrationId())).as("the run ended")
                    .isEmpty();
        }
    }

    /**
     * Temporary objects an interrupted run left, which the target's credentials say they cannot remove (an Azure SAS
     * without d), refuse a shared run as they refuse a run of one process: before any worker writes, the run ended.
     */
    @Test
    void leftoversTheTargetCannotRemoveRefuseTheSharedRunBeforeAnyWorkerWrites() {
        MemoryStore dst = MemoryStore.resetWithNumbered(3);
        String leftover = ".obj-0.caravan-" + Long.toHexString(new java.util.Random().nextLong() | 1L << 60)
                + ".partial";
        dst.add(leftover, new byte[] {1}, Instant.EPOCH);
        MigrationSpec spec = MigrationSpec.builder("mem:src", "granting:dst").retryBaseDelay(Duration.ofMillis(1))
                .build();
        try (MigrationEngine worker = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl(url()).withWorker("w1"), ConnectorRegistry.of(new MemoryStoreProvider(),
                MemoryStoreProvider.of("granting", new GrantingStore(dst, true))))) {
            assertThatThrownBy(() -> worker.run(spec, ProgressListener.NONE))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageStartingWith("target-leftovers: 1 temporary object an interrupted run left on mem:dst"
                            + " would be removed, which these credentials cannot")
                    .hasMessageEndingWith("; nothing was written")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);

            assertThat(dst.putKeys).as("nothing written, not even the probe").isEmpty();
            assertThat(dst.objects().keySet()).containsExactly(leftover);
            assertThat(((JdbcJournal) worker.journal()).leases().activeRun(spec.migrationId())).as("the run ended")
                    .isEmpty();
        }
    }

    /**
     * A worker waiting for another to plan the run stops as soon as that planner ends it (a refusal: a guard,
     * target-leftovers, a write probe), saying so, instead of waiting for the plan lease to expire and then planning a
     * run that has ended.
     */
    @Test
    void aWorkerWaitingForThePlanStopsWhenThePlannerRefusesTheRun() {
        MemoryStore dst = MemoryStore.resetWithNumbered(3);
        MigrationSpec spec = spec();
        try (MigrationEngine waiting = worker("w2")) {
            Leases leases = ((JdbcJournal) waiting.journal()).leases();
            // given a run that worker w1 plans, its plan lease minutes long
            RunInfo run = leases.joinRun(spec.migrationId(), spec.name(), null, "w1", Duration.ofMinutes(5));
            assertThat(leases.tryPlan(run.runId(), "w1", Duration.ofMinutes(5))).isTrue();
            // when w1 refuses the run while w2 waits for its plan
            ProgressListener refusedMeanwhile = progress -> {
                if (progress.phase() == Progress.Phase.PLANNING) {
                    leases.finish(run.runId(), spec.migrationId(), RunOutcome.ABORTED);
                }
            };

            assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> waiting.run(spec, refusedMeanwhile)))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageStartingWith("run " + run.runId() + " ended (ABORTED) before its plan was complete")
                    .hasMessageContaining("worker w2 did nothing");
            assertThat(dst.putKeys).isEmpty();
        }
    }

    @Test
    void aWorkerCompletesASharedRunAndTakesOverExpiredLeases() {
        MemoryStore dst = MemoryStore.resetWithNumbered(300);
        MigrationSpec spec = spec();
        // given a run planned by a worker that then died holding a partition (its lease already expired)
        planAndDieHoldingAPartition(spec, "dead", Duration.ofMillis(-1));
        // when a live worker joins
        try (MigrationEngine live = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl(url()).withWorker("live"))) {
            RunResult r = live.run(spec, ProgressListener.NONE);

            // then it finishes the whole run, the dead worker's partition included, each object once
            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.resumed()).as("no other worker at work on the run: resumed").isTrue();
            assertThat(r.joined()).isFalse();
            assertThat(r.copied()).isEqualTo(300);
            assertThat(dst.objects()).hasSize(300);
            assertThat(dst.puts.get()).as("each object written once").isEqualTo(300);
            assertThat(r.reportJson()).exists();
            Map<String, Integer> claims = ((JdbcJournal) live.journal()).leases().claimsByWorker(r.runId());
            assertThat(claims).containsOnlyKeys("live");
            assertThat(live.journal().run(r.runId()).orElseThrow().outcome()).isEqualTo(RunOutcome.COMPLETE);

            // and a later worker starts a new run with nothing to do
            RunResult again = live.run(spec, ProgressListener.NONE);
            assertThat(again.runId()).isNotEqualTo(r.runId());
            assertThat(again.copied()).isZero();
        }
    }

    /**
     * A worker that joins a run another worker is at work on (here one holding a partition, whose lease then expires:
     * this worker takes it over) did not resume an earlier run: its result says it joined.
     */
    @Test
    void aWorkerJoiningARunAnotherWorkerIsAtWorkOnJoinedItAndResumedNothing() throws Exception {
        MemoryStore dst = MemoryStore.resetWithNumbered(30);
        MigrationSpec spec = spec();
        System.setProperty("caravan.lease.seconds", "1");
        try {
            planAndDieHoldingAPartition(spec, "w1", Duration.ofSeconds(2)); // w1 at work on a partition
            try (MigrationEngine joining = worker("w2")) {
                RunResult r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                        () -> joining.run(spec, ProgressListener.NONE));

                assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
                assertThat(r.resumed()).as("resumed").isFalse();
                assertThat(r.joined()).as("joined").isTrue();
                assertThat(java.nio.file.Files.readString(r.reportJson())).contains("\"resumed\" : false",
                        "\"joined\" : true");
                assertThat(dst.objects()).hasSize(30);
            }
        } finally {
            System.clearProperty("caravan.lease.seconds");
        }
    }

    /**
     * So does a worker joining a run another worker started a moment before, not planned yet: the one that starts a run
     * holds its plan lease from the start (here it then stops without planning; its lease expires and this worker
     * plans the run).
     */
    @Test
    void aWorkerJoiningARunAnotherWorkerStartedAMomentBeforeJoinedIt() {
        MemoryStore dst = MemoryStore.resetWithNumbered(3);
        MigrationSpec spec = spec();
        try (MigrationEngine joining = worker("w2")) {
            Leases leases = ((JdbcJournal) joining.journal()).leases();
            RunInfo started = leases.joinRun(spec.migrationId(), spec.name(), null, "w1", Duration.ofSeconds(1));
            assertThat(leases.liveWorkers(started.runId())).containsExactly("w1");

            RunResult r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> joining.run(spec, ProgressListener.NONE));

            assertThat(r.runId()).isEqualTo(started.runId());
            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.joined()).isTrue();
            assertThat(r.resumed()).isFalse();
            assertThat(dst.objects()).hasSize(3);
        }
    }

    @Test
    void aWorkerRestartedUnderTheSameNameTakesOverThePartitionsItsDeadProcessHeld() {
        MemoryStore dst = MemoryStore.resetWithNumbered(300);
        MigrationSpec spec = spec();
        System.setProperty("caravan.lease.seconds", "1"); // renewed every 333 ms
        try {
            // given a process of worker "w" that planned the run and died holding a partition, its lease 2 s long
            planAndDieHoldingAPartition(spec, "w", Duration.ofSeconds(2));
            // when "w" starts again at once: its heartbeat must not keep that lease alive, or nobody could claim it
            try (MigrationEngine again = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                    .withJournalUrl(url()).withWorker("w"))) {
                RunResult r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                        () -> again.run(spec, ProgressListener.NONE));

                // then it finishes the run, that partition included, each object once
                assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
                assertThat(dst.objects()).hasSize(300);
                assertThat(dst.puts.get()).as("each object written once").isEqualTo(300);
            }
        } finally {
            System.clearProperty("caravan.lease.seconds");
        }
    }

    @Test
    void aWorkerStartsNoTaskOfAPartitionAnotherWorkerTookOverAndTakesItBackWhenThatLeaseExpires() throws Exception {
        MemoryStore dst = MemoryStore.resetWithNumbered(300);
        MigrationSpec spec = MigrationSpec.builder("mem:src", "mem:dst").transfers(1)
                .retryBaseDelay(Duration.ofMillis(1)).build();
        Map<String, Long> putAt = new ConcurrentHashMap<>(); // by the key written to, whose temporary name it strips
        AtomicInteger taken = new AtomicInteger(-1);
        AtomicLong windowFrom = new AtomicLong();
        AtomicLong windowTo = new AtomicLong();
        System.setProperty("caravan.lease.seconds", "2"); // renewed every 667 ms
        try (MigrationEngine live = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl(url()).withWorker("live"));
                Connection db = connect()) {
            // given another worker that takes over the partition the live one works on, with two tasks of it left
            dst.beforePut = key -> {
                putAt.put(key.replaceFirst("^\\.(.*)\\.caravan-[0-9a-f]+\\.partial$", "$1"), System.nanoTime());
                if (putAt.size() >= 20 && taken.get() < 0) {
                    takeOverWithTasksLeft(db, putAt, taken, windowFrom, windowTo);
                }
            };

            // when the live worker runs the migration
            RunResult r = live.run(spec, ProgressListener.NONE);

            // then it started no task of that partition while the other worker's lease lasted
            assertThat(taken.get()).as("a partition taken over").isNotNegative();
            List<String> items = strings(db, "SELECT item FROM caravan_task WHERE part = " + taken.get());
            assertThat(items.stream().filter(i -> putAt.get(i) > windowFrom.get() && putAt.get(i) < windowTo.get()))
                    .as("tasks of the taken partition started while another worker held it").isEmpty();
            // and took the partition back once that lease expired, finishing the run with each object written once
            // (claimed by live, by the other, then by live again; once more if live's own lease lapsed meanwhile)
            assertThat(strings(db, "SELECT owner || CASE WHEN done THEN ' TRUE' ELSE ' FALSE' END"
                    + " FROM caravan_partition WHERE part = " + taken.get())).containsExactly("live TRUE");
            assertThat(Long.parseLong(strings(db, "SELECT claims FROM caravan_partition WHERE part = "
                    + taken.get()).get(0))).isGreaterThanOrEqualTo(3);
            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(dst.objects()).hasSize(300);
            assertThat(dst.puts.get()).as("each object written once, and the probe").isEqualTo(301);
        } finally {
            System.clearProperty("caravan.lease.seconds");
        }
    }

    /** A plain command started while workers share the migration's run would copy their partitions a second time. */
    @Test
    void aProcessOfItsOwnIsRefusedWhileWorkersShareTheRun() {
        MemoryStore dst = MemoryStore.resetWithNumbered(300);
        MigrationSpec spec = spec();
        planAndDieHoldingAPartition(spec, "w1", Duration.ofMinutes(5)); // a worker at work on a partition

        try (MigrationEngine plain = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl(url()))) {
            assertThatThrownBy(() -> plain.run(spec, ProgressListener.NONE))
                    .isInstanceOf(dev.caravan.api.error.MigrationException.class)
                    .hasMessageContaining("migration 'mem:src -> mem:dst' is being run by worker w1 sharing run ")
                    .hasMessageContaining("nothing was done; give this command --worker to help them")
                    .extracting(e -> ((dev.caravan.api.error.MigrationException) e).kind())
                    .isEqualTo(dev.caravan.api.error.ErrorKind.USER_CONFIG);
            assertThat(dst.puts.get()).as("nothing written").isZero();
            assertThat(((JdbcJournal) plain.journal()).migrationOwners().holder(spec.migrationId()))
                    .as("the refused process's hold given up").isEmpty();
        }
    }

    /** And a worker started while a process of its own runs the migration takes no part. */
    @Test
    void aWorkerIsRefusedWhileAProcessOfItsOwnRunsTheMigration() throws Exception {
        MemoryStore dst = MemoryStore.resetWithNumbered(50);
        MigrationSpec spec = spec();
        java.util.concurrent.CountDownLatch copying = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        dst.beforePut = key -> {
            copying.countDown();
            try {
                release.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (MigrationEngine plain = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl(url()));
                MigrationEngine worker = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                        .withJournalUrl(url()).withWorker("w1"))) {
            java.util.concurrent.CompletableFuture<RunResult> first = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> plain.run(spec, ProgressListener.NONE));
            assertThat(copying.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            int putsBefore = dst.puts.get();

            assertThatThrownBy(() -> worker.run(spec, ProgressListener.NONE))
                    .hasMessageContaining("migration 'mem:src -> mem:dst' is being run by a process of its own now (")
                    .hasMessageContaining(" pid " + ProcessHandle.current().pid() + "), not shared between workers:"
                            + " worker w1 stopped");
            assertThat(dst.puts.get()).as("the worker wrote nothing").isEqualTo(putsBefore);

            release.countDown();
            RunResult r = first.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(dst.objects()).hasSize(50);
            assertThat(dst.puts.get()).as("each object written once, and the probe").isEqualTo(51);
        } finally {
            release.countDown();
        }
    }

    /** A process of {@code worker} plans the run of {@code spec}, claims a partition for {@code lease} and dies. */
    private void planAndDieHoldingAPartition(MigrationSpec spec, String worker, Duration lease) {
        try (MigrationEngine dead = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl(url()).withWorker(worker))) {
            Leases leases = ((JdbcJournal) dead.journal()).leases();
            RunInfo run = leases.joinRun(spec.migrationId(), spec.name(), null, worker, Duration.ofMillis(-1));
            assertThat(leases.tryPlan(run.runId(), worker, Duration.ofMillis(-1))).isTrue();
            try (var source = dead.registry().openStore("mem:src", Map.of());
                    var target = dead.registry().openStore("mem:dst", Map.of())) {
                dead.planInto(run, spec, source, target, false);
            }
            leases.planned(run.runId());
            assertThat(leases.claim(run.runId(), worker, lease)).isPresent();
        }
    }

    /**
     * In the live worker's put: when the partition it holds has at least two tasks not begun, hands it to "thief"
     * for 5 s and holds this put for 2 s (the live worker's lease heartbeat runs three times meanwhile).
     */
    private static void takeOverWithTasksLeft(Connection db, Map<String, Long> putAt, AtomicInteger taken,
            AtomicLong windowFrom, AtomicLong windowTo) {
        try {
            List<String> held = strings(db, "SELECT part FROM caravan_partition WHERE owner = 'live' AND done = FALSE");
            if (held.size() != 1) {
                return;
            }
            int part = Integer.parseInt(held.get(0));
            if (strings(db, "SELECT item FROM caravan_task WHERE part = " + part).stream()
                    .filter(i -> !putAt.containsKey(i)).count() < 2) {
                return;
            }
            long thiefUntil = System.nanoTime() + 5_000_000_000L;
            try (PreparedStatement ps = db.prepareStatement("UPDATE caravan_partition SET owner = 'thief',"
                    + " claims = claims + 1, lease_until = ? WHERE part = ?")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now().plusMillis(5_000)));
                ps.setInt(2, part);
                ps.executeUpdate();
            }
            taken.set(part);
            Thread.sleep(2_000);
            windowFrom.set(System.nanoTime());
            windowTo.set(thiefUntil);
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(Connection db, String sql) {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
