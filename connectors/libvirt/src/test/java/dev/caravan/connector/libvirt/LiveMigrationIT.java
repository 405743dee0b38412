package dev.caravan.connector.libvirt;

import static dev.caravan.connector.libvirt.LibvirtTestHosts.A;
import static dev.caravan.connector.libvirt.LibvirtTestHosts.B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.VmState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live shared-nothing migration of a running QEMU guest A -> B (managed, memory over tcp://127.0.0.1, the disk
 * copied over NBD into a volume libvirt pre-creates), and back B -> A peer-to-peer. The guest's serial counter
 * proves it kept running: the target's log continues above the source's last value and never shows BOOT.
 */
class LiveMigrationIT extends TestHostsFixture {
    private static final String VM = "cv-live";

    LiveMigrationIT() {
        super(VM);
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sharedNothingThereAndBackKeepsTheGuestRunning() {
        LibvirtTestHosts.startGuest(a, VM);
        String before = LibvirtTestHosts.guestDigest(LibvirtTestHosts.DIR.resolve("A/lib/images/" + VM + ".qcow2"));
        LibvirtTestHosts.truncateSerial("B", VM);
        List<JobProgress> seen = new CopyOnWriteArrayList<>();
        LiveMigrationOptions options = LiveMigrationOptions.builder().migrateUri(LibvirtTestHosts.MIGRATE_URI)
                .maxDowntime(java.time.Duration.ofMillis(300)).autoConverge(true).build();

        MigrationResult r = a.migrateLive(VM, b, options, seen::add);

        assertThat(b.find(VM)).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(b.find(VM).get().persistent()).isTrue();
        assertThat(a.find(VM)).isEmpty();
        assertThat(r.downtime()).isNotNull().isPositive();
        assertThat(r.iterations()).isGreaterThanOrEqualTo(1);
        assertThat(r.memoryBytes()).isPositive();
        assertThat(r.diskBytes()).as(r.details().toString()).isPositive();
        assertThat(seen).as("progress while it ran").isNotEmpty();
        // polled every 100 ms: a job polled for more than a second of its run was seen sending. Not the command's
        // wall time, which counts the preflight too: a 5 s command of CI was a job of about 0.4 s, polled three
        // times, the last with its 64 MiB to send and none sent yet
        if (seen.get(seen.size() - 1).elapsed().toMillis() > 1_000) {
            assertThat(seen).anySatisfy(p -> assertThat(p.processedBytes()).isPositive());
        }
        long lastOnA = LibvirtTestHosts.counters("A", VM).get(LibvirtTestHosts.counters("A", VM).size() - 1);
        long firstOnB = LibvirtTestHosts.awaitCounter("B", VM, 1);
        assertThat(LibvirtTestHosts.serial("B", VM)).noneMatch(l -> l.startsWith("BOOT"));
        assertThat(LibvirtTestHosts.counters("B", VM).get(0)).isGreaterThan(lastOnA);
        assertThat(LibvirtTestHosts.awaitCounter("B", VM, LibvirtTestHosts.counters("B", VM).size() + 2)).isGreaterThan(firstOnB);
        assertThat(LibvirtTestHosts.guestDigest(LibvirtTestHosts.DIR.resolve("B/lib/images/" + VM + ".qcow2"))).isEqualTo(before);

        // and back, peer to peer: B's daemon drives the migration to A itself
        LibvirtTestHosts.truncateSerial("A", VM);
        MigrationResult back = b.migrateLive(VM, a, options.toBuilder().peerToPeer(true).build(), p -> { });
        assertThat(a.find(VM)).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(b.find(VM)).isEmpty();
        assertThat(back.downtime()).isNotNull().isPositive();
        long lastOnB = LibvirtTestHosts.counters("B", VM).get(LibvirtTestHosts.counters("B", VM).size() - 1);
        LibvirtTestHosts.awaitCounter("A", VM, 1);
        assertThat(LibvirtTestHosts.serial("A", VM)).noneMatch(l -> l.startsWith("BOOT"));
        assertThat(LibvirtTestHosts.counters("A", VM).get(0)).isGreaterThan(lastOnB);
    }
}
