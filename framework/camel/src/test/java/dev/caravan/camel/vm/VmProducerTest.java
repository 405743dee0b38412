package dev.caravan.camel.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.LiveMigrationOptions.TimeoutAction;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import dev.caravan.camel.support.BadInput;
import dev.caravan.core.engine.MigrationOwner;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.MigrationOwners;
import dev.caravan.core.journal.RunSummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/** Moves through the producer: journal, progress, headers over options, and refusals before anything moves. */
class VmProducerTest extends VmTestSupport {
    private static final String LIVE = "caravan-vm:migrateLive?source=" + A + "&target=" + B;

    @Override
    void routes(CamelContext context) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:live").to(LIVE + "&domain=web").to("mock:after");
            }
        });
    }

    @Test
    void aLiveMigrationIsJournaledWithItsProgressAndReportsItsFigures() throws Exception {
        FakeHypervisors.Host a = host(A).with("web", VmState.RUNNING);
        host(B);
        a.gate = new CountDownLatch(1);
        List<JobProgress> seen = new CopyOnWriteArrayList<>();
        List<MigrationResult> results = new CopyOnWriteArrayList<>();
        vm.addListener(new VmListener() {
            @Override
            public void onProgress(String domain, JobProgress progress) {
                seen.add(progress);
            }

            @Override
            public void onResult(MigrationResult result) {
                results.add(result);
            }
        });

        CompletableFuture<Exchange> sent = template.asyncSend(LIVE + "&domain=web", e -> { });

        await().atMost(20, TimeUnit.SECONDS).until(() -> runs().size() == 1 && runs().get(0).bytesDone() > 0);
        RunSummary running = runs().get(0);
        assertThat(running.finishedAt()).isNull();
        assertThat(running.description()).isEqualTo("vm-live web: fakevm:a -> fakevm:b");
        assertThat(running.tasksTotal()).isEqualTo(1);
        assertThat(running.bytesDone()).as("64 of the hypervisor's 192 MiB done: a third of the task's 144 MiB")
                .isEqualTo(48L << 20);
        assertThat(running.bytesTotal()).as("memory + disk allocation").isEqualTo((128L << 20) + (16L << 20));
        TaskRecord during = task(running.runId());
        assertThat(during.state()).isEqualTo(TaskState.RUNNING);
        assertThat(during.spec().item()).isEqualTo("web");
        assertThat(during.checkpoint().values()).containsEntry("vm.processedBytes", String.valueOf(64L << 20))
                .containsEntry("vm.remainingBytes", String.valueOf(128L << 20))
                .containsEntry("vm.iterations", "1").containsEntry("vm.dirtyRate", String.valueOf(5L << 20))
                .containsEntry("vm.kind", "LIVE");

        a.gate.countDown();
        Exchange done = sent.get(30, TimeUnit.SECONDS);

        assertThat(done.getException()).isNull();
        MigrationResult r = done.getMessage().getBody(MigrationResult.class);
        assertThat(r.name()).isEqualTo("web");
        assertThat(r.target()).isEqualTo(B);
        var h = done.getMessage().getHeaders();
        assertThat(h).containsEntry(VmConstants.DOWNTIME, 42L).containsEntry(VmConstants.ITERATIONS, 3L)
                .containsEntry(VmConstants.ELAPSED, 900L).containsEntry(VmConstants.WALL, 1200L)
                .containsEntry(VmConstants.MEMORY_BYTES, 128L << 20).containsEntry(VmConstants.DISK_BYTES, 64L << 20)
                .containsEntry(VmConstants.HOST, B).containsEntry(VmConstants.NAME, "web")
                .containsEntry(VmConstants.MIGRATION_KIND, "LIVE").containsEntry(VmConstants.RUN_ID, running.runId());
        RunSummary finished = engine.journal().run(running.runId()).orElseThrow();
        assertThat(finished.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(finished.tasksDone()).isEqualTo(1);
        assertThat(finished.bytesDone()).isEqualTo(finished.bytesTotal());
        TaskRecord after = task(running.runId());
        assertThat(after.state()).isEqualTo(TaskState.DONE);
        assertThat(after.report().values()).containsEntry("vm.downtimeMs", "42").containsEntry("vm.iterations", "3")
                .containsEntry("vm.target", B).containsEntry("vm.detail.memory_bps", "1000");
        assertThat(host(B).domains).containsEntry("web", VmState.RUNNING);
        assertThat(a.domains).doesNotContainKey("web");
        assertThat(seen).hasSize(2).extracting(JobProgress::memoryIterations).containsExactly(1L, 3L);
        assertThat(results).singleElement().isEqualTo(r);
    }

    @Test
    void memoryPagesSentAgainNeverCountAsMoreBytesThanTheMoveCarries() throws Exception {
        FakeHypervisors.Host a = host(A).with("web", VmState.RUNNING);
        host(B);
        a.gate = new CountDownLatch(1);
        // the fifth pass over memory: 400 MiB sent so far for 128 MiB of memory and 64 MiB of disk, 2 MiB left
        a.first = new JobProgress(MigrationKind.LIVE, 400L << 20, 2L << 20, 192L << 20, 5, 5L << 20,
                Duration.ofSeconds(4), 336L << 20, 128L << 20);

        CompletableFuture<Exchange> sent = template.asyncSend(LIVE + "&domain=web", e -> { });

        await().atMost(20, TimeUnit.SECONDS).until(() -> runs().size() == 1 && runs().get(0).bytesDone() > 0);
        RunSummary running = runs().get(0);
        assertThat(running.bytesDone()).as("in place on the target (190 of 192 MiB), bounded by what the move carries")
                .isLessThanOrEqualTo(running.bytesTotal()).isEqualTo((long) (running.bytesTotal() * (190.0 / 192)));
        assertThat(task(running.runId()).checkpoint().values()).containsEntry("vm.processedBytes",
                String.valueOf(400L << 20));
        assertThat(VmJournal.memory(task(running.runId()))).as("memory sent, apart from the guest's memory")
                .contains(new VmJournal.MemoryFigures(336L << 20, 128L << 20, 5));
        a.gate.countDown();
        assertThat(sent.get(30, TimeUnit.SECONDS).getException()).isNull();
        // done: the report's figures (the fake's result: 128 MiB of memory sent in 3 passes)
        assertThat(VmJournal.memory(task(running.runId()))).contains(new VmJournal.MemoryFigures(128L << 20,
                128L << 20, 3));
        assertThat(engine.journal().run(running.runId()).orElseThrow().bytesDone()).isEqualTo(running.bytesTotal());
    }

    @Test
    void aSecondMoveOfTheSameVmWhileOneRunsIsRefusedNamingTheProcessThatRunsIt() throws Exception {
        FakeHypervisors.Host a = host(A).with("web", VmState.RUNNING);
        host(B);
        a.gate = new CountDownLatch(1);
        String storage = "caravan-vm:moveStorage?source=" + A + "&domain=web&destinationPool=pool2";
        CompletableFuture<Exchange> first = template.asyncSend(storage, e -> { });
        await().atMost(20, TimeUnit.SECONDS).until(() -> runs().size() == 1 && runs().get(0).bytesDone() > 0);
        String running = runs().get(0).runId();

        Exchange second = template.send(storage, e -> { });

        assertThat(second.getException()).isInstanceOfSatisfying(MigrationException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
            assertThat(e.getMessage()).contains("vm-storage web", "is being run by another process now",
                    "pid " + ProcessHandle.current().pid(), "nothing was done");
        });
        assertThat(BadInput.failedWith(second)).isTrue();
        assertThat(a.calls).filteredOn("moveStorage web"::equals).hasSize(1);
        assertThat(runs()).singleElement().extracting(RunSummary::runId).isEqualTo(running);
        assertThat(task(running).attempts()).as("the running move's run is not taken up").isEqualTo(1);
        assertThat(engine.runningIn(runs().get(0).migrationId(), running)).as("caravan status: running in ...")
                .hasValueSatisfying(p -> assertThat(p).contains("pid " + ProcessHandle.current().pid()));

        a.gate.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).getException()).isNull();
        assertThat(engine.journal().run(running).orElseThrow().outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(engine.runningIn(runs().get(0).migrationId(), running)).as("given up at the end").isEmpty();
        a.gate = null;
        assertThat(template.send(storage, e -> { }).getException()).as("the next move takes it").isNull();
    }

    @Test
    void headersOverrideEndpointOptions() {
        FakeHypervisors.Host a = host(A).with("web", VmState.RUNNING).with("db", VmState.RUNNING);
        host(B);

        Exchange done = template.send(LIVE + "&domain=web&bandwidth=10M&maxDowntime=300ms&autoConverge=true"
                + "&journal=false", e -> {
                    e.getMessage().setHeader(VmConstants.DOMAIN, "db");
                    e.getMessage().setHeader(VmConstants.BANDWIDTH, "20M");
                    e.getMessage().setHeader(VmConstants.TIMEOUT_ACTION, "suspend");
                    e.getMessage().setHeader(VmConstants.COMPLETION_TIMEOUT, "5m");
                    e.getMessage().setHeader(VmConstants.UNDEFINE_SOURCE, " "); // blank: the option's default
                });

        assertThat(done.getException()).isNull();
        assertThat(a.lastLive.bandwidthBytesPerSec()).isEqualTo(20L << 20);
        assertThat(a.lastLive.maxDowntime()).isEqualTo(Duration.ofMillis(300));
        assertThat(a.lastLive.autoConverge()).isTrue();
        assertThat(a.lastLive.completionTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(a.lastLive.timeoutAction()).isEqualTo(TimeoutAction.SUSPEND);
        assertThat(a.lastLive.undefineSource()).isTrue();
        assertThat(host(B).domains).containsOnlyKeys("db");
        assertThat(a.domains).containsOnlyKeys("web");
        assertThat(runs()).as("journal=false").isEmpty();
    }

    @Test
    void theDomainMayComeFromAVmRefBody() {
        host(A).with("web", VmState.RUNNING);
        host(B);

        Exchange done = template.send(LIVE, e -> e.getMessage().setBody(new VmRef("web", "u", VmState.RUNNING, true)));

        assertThat(done.getException()).isNull();
        assertThat(host(B).domains).containsOnlyKeys("web");
        assertThat(template.send(LIVE, e -> { }).getException()).hasMessageContaining("no domain: set the option");
    }

    @Test
    void aFailedPreflightStopsTheRouteWithUserConfigBeforeAnythingMoves() throws Exception {
        FakeHypervisors.Host a = host(A).with("web", VmState.RUNNING);
        host(B);
        a.preflight = List.of(new PreflightCheck("cpu-compatibility", PreflightCheck.Status.FAIL, "Skylake-Server"
                + " is not available on the target"), new PreflightCheck("memory", PreflightCheck.Status.PASS, "ok"));
        MockEndpoint after = context.getEndpoint("mock:after", MockEndpoint.class);
        after.expectedMessageCount(0);

        Exchange done = template.send("direct:live", e -> { });

        after.assertIsSatisfied();
        assertThat(done.getException()).isInstanceOfSatisfying(MigrationException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
            assertThat(e.getMessage()).contains("refused by preflight");
        });
        assertThat(BadInput.failedWith(done)).isTrue();
        assertThat(a.domains).containsEntry("web", VmState.RUNNING);
        assertThat(host(B).domains).isEmpty();
        assertThat(a.calls).doesNotContain("moved web");
        RunSummary run = runs().get(0);
        assertThat(run.outcome()).as("refused before anything moved").isEqualTo(RunOutcome.ABORTED);
        TaskRecord t = task(run.runId());
        assertThat(t.state()).isEqualTo(TaskState.FAILED);
        assertThat(t.error()).contains("refused by preflight");

        // a storage move checks the storage preflight itself and never starts the copy
        Exchange storage = template.send("caravan-vm:moveStorage?source=" + A + "&domain=web"
                + "&destinationPool=pool2", e -> { });
        assertThat(storage.getException()).isInstanceOfSatisfying(MigrationException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
            assertThat(e.getMessage()).contains("storage move of web refused by preflight", "cpu-compatibility");
        });
        assertThat(a.calls).contains("preflight STORAGE web").doesNotContain("moveStorage web");
    }

    @Test
    void aStorageMoveTakesTheOnlyDataDiskAndNeedsOneDestination() {
        FakeHypervisors.Host a = host(A).with("web", VmState.RUNNING);
        String uri = "caravan-vm:moveStorage?source=" + A + "&domain=web";

        Exchange done = template.send(uri + "&destinationPool=pool2&deleteSourceImage=true&bandwidth=50M", e -> { });

        assertThat(done.getException()).isNull();
        assertThat(a.lastStorage.disk()).isEqualTo("vda");
        assertThat(a.lastStorage.destinationPool()).isEqualTo("pool2");
        assertThat(a.lastStorage.deleteSource()).isTrue();
        assertThat(a.lastStorage.bandwidthBytesPerSec()).isEqualTo(50L << 20);
        assertThat(done.getMessage().getBody(MigrationResult.class).kind()).isEqualTo(MigrationKind.STORAGE);
        assertThat(done.getMessage().getHeader(VmConstants.DOWNTIME)).as("unknown: no header").isNull();
        assertThat(runs().get(0).description()).isEqualTo("vm-storage web: fakevm:a -> vda -> pool pool2");
        assertThat(runs().get(0).outcome()).isEqualTo(RunOutcome.COMPLETE);

        assertThat(template.send(uri, e -> { }).getException()).hasMessageContaining("exactly one of the options");
        assertThat(template.send(uri + "&disk=vdz&destinationPath=/x", e -> { }).getException())
                .hasMessageContaining("web has no disk 'vdz' (disks: vda)");
    }

    @Test
    void aColdMoveKilledAfterTheTargetWasDefinedIsFinishedByTheRerun() {
        // a process killed after defining and starting db on b, before removing it from a, left this
        host(A).with("db", VmState.SHUT_OFF);
        host(B).with("db", VmState.RUNNING);
        String killed = killedRun(MigrationKind.COLD, "db", 16L << 20);

        Exchange done = template.send("caravan-vm:migrateCold?source=" + A + "&target=" + B
                + "&domain=db&deleteSourceVolumes=false", e -> { });

        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getBody(MigrationResult.class).details()).containsEntry("resumed", "true");
        assertThat(host(A).domains).doesNotContainKey("db");
        assertThat(host(B).domains).containsEntry("db", VmState.RUNNING);
        assertThat(runs()).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo(killed);
            assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETE);
        });
    }

    @Test
    void aColdMoveKilledAfterTheSourceWasRemovedIsFinishedByTheRerun() {
        // a process killed after removing db from a (past the point of no return), before deleting its volumes
        host(A);
        host(B).with("db", VmState.RUNNING);
        String killed = killedRun(MigrationKind.COLD, "db", 16L << 20);
        vm.journal().checkpoint(TaskId.of(A, B, "cold:db:" + killed), new Checkpoint(Map.of("copy.bytes",
                String.valueOf(16L << 20), "cold.step", "removeSource", "cold.undefineSource", "true",
                "cold.deleteVolumes", "")));

        Exchange done = template.send("caravan-vm:migrateCold?source=" + A + "&target=" + B + "&domain=db",
                e -> { });

        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getBody(MigrationResult.class).details()).containsEntry("resumed", "true");
        assertThat(host(B).domains).containsEntry("db", VmState.RUNNING);
        assertThat(runs()).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo(killed);
            assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(run.bytesTotal()).as("the killed run's size").isEqualTo(16L << 20);
        });
        // without such a run, a domain that is not on the source is not found
        Exchange again = template.send("caravan-vm:migrateCold?source=" + A + "&target=" + B + "&domain=db",
                e -> { });
        assertThat(again.getException()).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void aLiveMoveWhoseKilledRunCompletedAnywayIsFinishedByTheRerun() {
        host(A);
        host(B).with("web", VmState.RUNNING);

        Exchange refused = template.send(LIVE + "&domain=web", e -> { });
        assertThat(refused.getException()).isInstanceOfSatisfying(MigrationException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).contains("web is not on fakevm:a: it already runs on fakevm:b");
        });

        // a killed run whose peer-to-peer migration completed in the daemon without it: the rerun finishes the run
        String killed = killedRun(MigrationKind.LIVE, "web", 192L << 20);
        Exchange done = template.send(LIVE + "&domain=web", e -> { });

        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getBody(MigrationResult.class).details()).containsEntry("resumed", "true")
                .hasEntrySatisfying("note", n -> assertThat(n).contains("journal run " + killed, "had completed"));
        assertThat(engine.journal().run(killed).orElseThrow().outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(host(B).domains).containsEntry("web", VmState.RUNNING);
    }

    @Test
    void aRerunTakesOverTheMigrationItsKilledRunLeftRunning() throws Exception {
        // a peer-to-peer migration goes on in the daemon when its client is killed
        FakeHypervisors.Host a = host(A).with("web", VmState.RUNNING);
        host(B).with("web", VmState.PAUSED);
        a.jobs.add("web");
        a.jobEnd = new CountDownLatch(1);
        String killed = killedRun(MigrationKind.LIVE, "web", 192L << 20);

        CompletableFuture<Exchange> rerun = template.asyncSend(LIVE + "&domain=web", e -> { });

        await().atMost(20, TimeUnit.SECONDS).until(() -> a.calls.contains("adoptLive web"));
        assertThat(engine.journal().run(killed).orElseThrow().finishedAt()).isNull();
        a.domains.remove("web"); // the migration completes in the daemon
        host(B).domains.put("web", VmState.RUNNING);
        a.jobEnd.countDown();
        Exchange done = rerun.get(30, TimeUnit.SECONDS);

        assertThat(done.getException()).isNull();
        MigrationResult r = done.getMessage().getBody(MigrationResult.class);
        assertThat(r.details()).containsEntry("adopted", "true").hasEntrySatisfying("note", n -> assertThat(n)
                .contains("took over the migration an interrupted run of this move (journal run " + killed + ")",
                        "it completed"));
        assertThat(a.calls).doesNotContain("migrateLive web");
        assertThat(runs()).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo(killed);
            assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETE);
        });
    }

    @Test
    void aTakenOverMigrationThatEndsWithoutMovingTheVmIsFollowedByANewOne() {
        // a migration whose client was killed, cancelled by the daemon meanwhile (not peer to peer)
        FakeHypervisors.Host a = host(A).with("web", VmState.RUNNING);
        host(B);
        a.jobs.add("web");
        String killed = killedRun(MigrationKind.LIVE, "web", 192L << 20);

        Exchange done = template.send(LIVE + "&domain=web", e -> { });

        assertThat(done.getException()).isNull();
        assertThat(a.calls).containsSubsequence("adoptLive web", "migrateLive web", "moved web");
        assertThat(host(B).domains).containsEntry("web", VmState.RUNNING);
        assertThat(engine.journal().run(killed).orElseThrow().outcome()).isEqualTo(RunOutcome.COMPLETE);
    }

    @Test
    void aJobThisMoveDidNotStartRefusesIt() {
        FakeHypervisors.Host a = host(A).with("web", VmState.RUNNING);
        host(B);
        a.jobs.add("web"); // e.g. a storage move, or someone's virsh migrate

        Exchange refused = template.send(LIVE + "&domain=web", e -> { });

        assertThat(refused.getException()).isInstanceOfSatisfying(MigrationException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
            assertThat(e.getMessage()).contains("already has a job running on fakevm:a", "that this move did not start",
                    "virsh domjobabort web");
        });
        assertThat(a.calls).doesNotContain("adoptLive web", "migrateLive web");

        // nor does a storage move's block job after a killed run: that run's migration is not what runs
        a.jobKind = MigrationKind.STORAGE;
        String killed = killedRun(MigrationKind.LIVE, "web", 192L << 20);
        assertThat(template.send(LIVE + "&domain=web", e -> { }).getException())
                .hasMessageContaining("that this move did not start");
        assertThat(a.calls).doesNotContain("adoptLive web", "migrateLive web");
        assertThat(engine.journal().run(killed).orElseThrow().finishedAt()).as("left to a later rerun").isNull();
    }

    /**
     * A cold move whose process was paused (SIGSTOP, a machine asleep) for longer than its hold's lease while another
     * process took the move over: once awake it must not remove the VM from the source (the other process is moving
     * it), nor end the run the other process now runs.
     */
    @Test
    void aColdMoveTakenOverWhileItWasPausedNeverRemovesTheSource() {
        host(A).with("db", VmState.RUNNING).diskless = true; // nothing to copy: the move goes straight to the target
        host(B);
        Duration lease = Duration.ofMillis(300);
        MigrationOwner.useLease(lease);
        try {
            MigrationOwners owners = ((JdbcJournal) engine.journal()).migrationOwners();
            host(B).onDefine = () -> { // the process "sleeps" past its lease while the other one takes the move
                String migration = runs().get(0).migrationId();
                assertThat(owners.take(migration, "elsewhere pid 1 #x", Duration.ofMinutes(5), o -> true))
                        .as("taken over").isEmpty();
                sleep(lease.toMillis() * 2);
            };

            Exchange moved = template.send("caravan-vm:migrateCold?source=" + A + "&target=" + B + "&domain=db"
                    + "&force=true", e -> { });

            assertThat(moved.getException()).isInstanceOfSatisfying(MigrationException.class, e -> {
                assertThat(e.getMessage()).contains("another process (elsewhere pid 1) took the migration over");
                assertThat(e.kind()).isEqualTo(ErrorKind.FATAL);
            });
            assertThat(host(A).domains).as("the source is left to the process that took the move").containsKey("db");
            assertThat(runs()).singleElement().satisfies(run -> assertThat(run.outcome())
                    .as("the run is the other process's: not ended under it").isNull());
            assertThat(owners.holder(runs().get(0).migrationId())).get()
                    .extracting(MigrationOwners.Holder::owner).isEqualTo("elsewhere pid 1 #x");
        } finally {
            MigrationOwner.useLease(null);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The unfinished run a process killed in the middle of a move leaves (its hold went with it). */
    private String killedRun(MigrationKind kind, String domain, long size) {
        VmJournal run = VmJournal.start(vm.journal(), kind, domain, A, B, size);
        run.abandon();
        return run.runId();
    }
}
