package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.MigrationOwners;
import dev.caravan.core.plan.MigrationSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One migration, one process at a time: the same migration started again while it runs is refused before anything
 * is looked at or written (it would copy every object a second time), and a holder that died is taken over.
 */
class MigrationOwnerTest extends EngineTestBase {
    private static final String HOST = hostName();

    private MigrationSpec spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1)).build();
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSameMigrationStartedWhileItRunsIsRefusedAndChangesNothing() throws Exception {
        for (int i = 0; i < 5; i++) {
            src.add("f" + i, bytes("content " + i), T0);
        }
        CountDownLatch copying = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        dst.beforePut = key -> {
            copying.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(() -> engine.run(spec(),
                ProgressListener.NONE));
        assertThat(copying.await(10, TimeUnit.SECONDS)).isTrue();
        int putsBefore = dst.puts.get();

        try (MigrationEngine second = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")))) {
            assertThatThrownBy(() -> second.run(spec(), ProgressListener.NONE))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("migration 'mem:src -> mem:dst' is being run by another process now ("
                            + HOST + " pid " + ProcessHandle.current().pid() + ", last seen at ")
                    .hasMessageContaining("nothing was done")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
            assertThat(dst.puts.get()).as("the second wrote nothing").isEqualTo(putsBefore);

            release.countDown();
            RunResult r = first.get(20, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("the first run was not disturbed (not aborted)").isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.copied()).isEqualTo(5);

            dst.beforePut = key -> { };
            RunResult again = second.run(spec(), ProgressListener.NONE);
            assertThat(again.outcome()).as("once the first is done, the migration is free").isEqualTo(
                    RunOutcome.COMPLETE);
            assertThat(again.copied()).isZero();
        }
    }

    @Test
    void aHolderThatDiedOnThisMachineIsTakenOverAtOnceOneOfAnotherMachineOnceItsLeaseExpired() {
        try (JdbcJournal journal = JdbcJournal.open("jdbc:h2:file:" + home.resolve("owners"))) {
            MigrationOwners owners = journal.migrationOwners();
            long deadPid = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 1000;
            assertThat(owners.take("m1", HOST + " pid " + deadPid + " #dead", Duration.ofMinutes(5),
                    o -> false)).isEmpty();
            try (MigrationOwner taken = MigrationOwner.take(owners, "m1", "m one", Duration.ofMinutes(5))) {
                assertThat(owners.holder("m1")).get().extracting(MigrationOwners.Holder::owner).asString()
                        .startsWith(HOST + " pid " + ProcessHandle.current().pid() + " #");
            }
            assertThat(owners.holder("m1")).as("given up when closed").isEmpty();

            assertThat(owners.take("m2", "elsewhere pid 1 #x", Duration.ofMillis(300), o -> false)).isEmpty();
            assertThatThrownBy(() -> MigrationOwner.take(owners, "m2", "m two", Duration.ofMinutes(5)))
                    .hasMessageContaining("is being run by another process now (elsewhere pid 1, last seen at ");
            sleep(400);
            MigrationOwner.take(owners, "m2", "m two", Duration.ofMinutes(5)).close();
        }
    }

    /** A hold of this process that its run could not give up (the journal failed at the end) blocks nothing. */
    @Test
    void aLeftoverHoldOfThisProcessIsTakenOver() {
        try (JdbcJournal journal = JdbcJournal.open("jdbc:h2:file:" + home.resolve("owners"))) {
            MigrationOwners owners = journal.migrationOwners();
            String mine = HOST + " pid " + ProcessHandle.current().pid();
            assertThat(owners.take("m", mine + " #leftover", Duration.ofMinutes(5), o -> false)).isEmpty();

            try (MigrationOwner taken = MigrationOwner.take(owners, "m", "m", Duration.ofMinutes(5))) {
                assertThatThrownBy(() -> MigrationOwner.take(owners, "m", "m", Duration.ofMinutes(5)))
                        .as("a hold of this process still open is not a leftover")
                        .hasMessageContaining("is being run by another process now (" + mine + ", last seen at ");
            }
        }
    }

    /** A command interrupted just now (Ctrl-C, its client killed) may take a moment to exit: it is waited for. */
    @Test
    void aHolderOfThisMachineThatExitsWithinTheGraceIsWaitedFor() throws Exception {
        Process exiting = new ProcessBuilder("sleep", "1").start();
        try (JdbcJournal journal = JdbcJournal.open("jdbc:h2:file:" + home.resolve("owners"))) {
            MigrationOwners owners = journal.migrationOwners();
            assertThat(owners.take("m", HOST + " pid " + exiting.pid() + " #x", Duration.ofMinutes(5), o -> false))
                    .isEmpty();
            long t0 = System.nanoTime();

            MigrationOwner.take(owners, "m", "m", Duration.ofMinutes(5)).close();

            assertThat(exiting.isAlive()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(MigrationOwner.EXIT_GRACE);
        } finally {
            exiting.destroyForcibly();
        }
    }

    @Test
    void theHoldIsRenewedWhileTheMigrationRuns() {
        try (JdbcJournal journal = JdbcJournal.open("jdbc:h2:file:" + home.resolve("owners"))) {
            MigrationOwners owners = journal.migrationOwners();
            try (MigrationOwner held = MigrationOwner.take(owners, "m", "m", Duration.ofMillis(600))) {
                sleep(1_000);
                assertThat(owners.holder("m")).as("renewed every third of the lease").isPresent();
                assertThat(owners.take("m", "other pid 1 #y", Duration.ofMillis(600), o -> false)).isPresent();
            }
        }
    }

    /**
     * A process paused for longer than its lease (SIGSTOP, a laptop asleep) whose migration another process took over
     * meanwhile: once awake, it starts no further task (both would copy the same objects), leaves the run unfinished to
     * the other, and says why. Here the heartbeat is held up as the process's would be, so that the check before the
     * next task is what finds the hold lapsed and lost.
     */
    @Test
    void aProcessWhoseMigrationWasTakenOverWhileItWasPausedStopsAtTheNextTask() {
        for (int i = 0; i < 20; i++) {
            src.add(String.format("f%02d", i), bytes("content " + i), T0);
        }
        MigrationSpec spec = MigrationSpec.builder("mem:src", "mem:dst").transfers(1)
                .retryBaseDelay(Duration.ofMillis(1)).build();
        Duration lease = Duration.ofMillis(600);
        MigrationOwner.useLease(lease);
        try (JdbcJournal journal = JdbcJournal.open("jdbc:h2:file:" + home.resolve("journal"))) {
            dst.beforePut = key -> {
                if (dst.puts.get() == 2) { // the third copy: the process "freezes" during it
                    CountDownLatch frozen = new CountDownLatch(1);
                    MigrationOwner.HEARTBEAT.execute(() -> {
                        try {
                            frozen.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    sleep(lease.toMillis() + 200);
                    assertThat(journal.migrationOwners().take(spec.migrationId(), "elsewhere pid 1 #x",
                            Duration.ofMinutes(5), o -> false)).as("the lapsed hold is taken over").isEmpty();
                    frozen.countDown();
                }
            };

            assertThatThrownBy(() -> engine.run(spec, ProgressListener.NONE))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("migration 'mem:src -> mem:dst': another process (elsewhere pid 1) took the"
                            + " migration over while this one was paused")
                    .hasMessageContaining("stopped at a task boundary")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.FATAL);
            assertThat(dst.puts.get()).as("the copy in flight ends, no other starts").isEqualTo(3);
            assertThat(engine.journal().runs(1).get(0).outcome()).as("the run is left to the other process")
                    .isNull();
            assertThat(journal.migrationOwners().holder(spec.migrationId())).get()
                    .extracting(MigrationOwners.Holder::owner).isEqualTo("elsewhere pid 1 #x");
        } finally {
            MigrationOwner.useLease(null);
        }
    }

    /** The same, found by the heartbeat while the process runs on. */
    @Test
    void aHoldTakenOverIsNoticedByItsRenewal() {
        try (JdbcJournal journal = JdbcJournal.open("jdbc:h2:file:" + home.resolve("owners"))) {
            MigrationOwners owners = journal.migrationOwners();
            try (MigrationOwner held = MigrationOwner.take(owners, "m", "m", Duration.ofMillis(300))) {
                assertThat(held.held()).isTrue();
                assertThat(owners.take("m", "elsewhere pid 7 #z", Duration.ofMinutes(5), o -> true)).isEmpty();
                sleep(300);
                assertThat(held.lost()).get().asString().startsWith("migration 'm': another process (elsewhere pid 7) took");
                assertThat(held.held()).isFalse();
            }
            assertThat(owners.holder("m")).as("closing a lost hold leaves the new holder's").get()
                    .extracting(MigrationOwners.Holder::owner).isEqualTo("elsewhere pid 7 #z");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
