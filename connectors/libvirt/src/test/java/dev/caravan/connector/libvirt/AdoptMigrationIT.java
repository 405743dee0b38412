package dev.caravan.connector.libvirt;

import static dev.caravan.connector.libvirt.LibvirtTestHosts.A;
import static dev.caravan.connector.libvirt.LibvirtTestHosts.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.LiveMigrationOptions.TimeoutAction;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.VmState;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On real hosts: a peer-to-peer migration whose client was killed goes on in the source's daemon (started here with
 * virsh, which is then killed with SIGKILL, as a {@code kill -9} of Caravan leaves it). {@link Hypervisor#adoptLive}
 * takes it over: with the completion timeout counted from the job's start it aborts one that cannot converge (the
 * guest stays on the source, no job left), and with the timeout action suspend it brings one to its end on the target.
 */
class AdoptMigrationIT extends TestHostsFixture {
    private static final String VM = "cv-adopt";
    /** Pre-copy of the test guest (32 MiB dirtied ~2500 times a second) cannot converge at 20 MiB/s. */
    private static final String SLOW_MIB = "20";

    AdoptMigrationIT() {
        super(VM);
    }

    @Test
    @Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anOrphanedMigrationPastItsTimeoutIsAbortedAndTheGuestStaysOnTheSource() throws Exception {
        LibvirtTestHosts.startGuest(a, VM);
        orphanMigration();
        LiveMigrationOptions o = LiveMigrationOptions.builder().peerToPeer(true).bandwidth(20L << 20)
                .completionTimeout(Duration.ofSeconds(3), TimeoutAction.ABORT).build();

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> a.adoptLive(VM, b, o, p -> { })).isInstanceOfSatisfying(MigrationException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.FATAL);
                    assertThat(e.getMessage()).contains("did not complete within 3000 ms and was aborted",
                            "keeps running");
                });

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
        assertThat(a.jobProgress(VM)).as("no job left running in the daemon").isEmpty();
        assertThat(a.find(VM)).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(b.find(VM)).isEmpty();
        int lines = LibvirtTestHosts.counters("A", VM).size();
        LibvirtTestHosts.awaitCounter("A", VM, lines + 2);
    }

    @Test
    @Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anOrphanedMigrationIsTakenOverToItsEndOnTheTarget() throws Exception {
        LibvirtTestHosts.startGuest(a, VM);
        LibvirtTestHosts.truncateSerial("B", VM);
        orphanMigration();
        LiveMigrationOptions o = LiveMigrationOptions.builder().peerToPeer(true).bandwidth(20L << 20)
                .completionTimeout(Duration.ofSeconds(3), TimeoutAction.SUSPEND).build();
        List<JobProgress> seen = new CopyOnWriteArrayList<>();

        MigrationResult r = a.adoptLive(VM, b, o, seen::add).orElseThrow();

        assertThat(r.details()).containsEntry("adopted", "true");
        assertThat(r.downtime()).as("paused at the timeout until the rest was sent").isNotNull().isPositive();
        assertThat(seen).as("the taken-over job's progress").isNotEmpty();
        assertThat(b.find(VM)).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(a.find(VM)).isEmpty();
        long lastOnA = LibvirtTestHosts.lastCounter("A", VM);
        LibvirtTestHosts.awaitCounter("B", VM, 2);
        assertThat(LibvirtTestHosts.serial("B", VM)).noneMatch(l -> l.startsWith("BOOT"));
        assertThat(LibvirtTestHosts.counters("B", VM).get(0)).isGreaterThan(lastOnA);
        // nothing left to take over: the job has ended
        assertThat(b.adoptLive(VM, a, o, p -> { })).isEmpty();
    }

    /** Starts a slow peer-to-peer shared-nothing migration A -> B with virsh and kills virsh once data moves. */
    private void orphanMigration() throws IOException, InterruptedException {
        Process virsh = new ProcessBuilder("virsh", "-c", A, "migrate", "--live", "--p2p", "--copy-storage-all",
                "--persistent", "--undefinesource", "--bandwidth", SLOW_MIB, VM, B, "--migrateuri",
                LibvirtTestHosts.MIGRATE_URI).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> a.jobProgress(VM)
                    .map(p -> p.processedBytes() > 0).orElse(false));
        } finally {
            virsh.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(a.jobProgress(VM)).as("a peer-to-peer migration outlives its client").isPresent();
    }
}
