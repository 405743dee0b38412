package dev.caravan.connector.libvirt;

import static dev.caravan.connector.libvirt.LibvirtTestHosts.A;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.StorageMoveOptions;
import dev.caravan.api.vm.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Storage-only migration of a running guest: its disk moves to pool 'pool2' by block copy and pivot, then back to
 * a path in pool 'images'. The guest never stops (counter continues, no BOOT), the domain's persistent and live
 * XML follow the disk, and what the guest sees on the disk is identical before and after.
 */
class StorageMoveIT {
    private static final String VM = "cv-storage";
    private Hypervisor a;

    @BeforeEach
    void setUp() {
        LibvirtTestHosts.cleanup(VM);
        a = LibvirtTestHosts.open(A);
    }

    @AfterEach
    void tearDown() {
        LibvirtTestHosts.cleanup(VM);
        a.close();
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void movesTheRunningDiskToAnotherPoolAndBack() {
        LibvirtTestHosts.startGuest(a, VM);
        Path images = LibvirtTestHosts.DIR.resolve("A/lib/images/" + VM + ".qcow2");
        Path pool2 = LibvirtTestHosts.DIR.resolve("A/lib/pool2/" + VM + ".qcow2");
        String before = LibvirtTestHosts.guestDigest(images);
        List<JobProgress> seen = new CopyOnWriteArrayList<>();

        MigrationResult r = a.moveStorage(VM, StorageMoveOptions.toPool("vda", "pool2"), seen::add);

        assertThat(a.describe(VM).disks().get(0).source()).isEqualTo("/var/lib/libvirt/pool2/" + VM + ".qcow2");
        assertThat(a.definition(VM, java.util.Map.of())).contains("/var/lib/libvirt/pool2/" + VM + ".qcow2");
        assertThat(a.find(VM)).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(r.diskBytes()).isPositive();
        assertThat(seen).isNotEmpty();
        assertThat(LibvirtTestHosts.guestDigest(pool2)).isEqualTo(before);
        long mark = LibvirtTestHosts.counters("A", VM).size();

        MigrationResult back = a.moveStorage(VM, new StorageMoveOptions("vda",
                "/var/lib/libvirt/images/" + VM + ".back.qcow2", null, null, 0, null, true), p -> { });

        assertThat(a.describe(VM).disks().get(0).source()).isEqualTo("/var/lib/libvirt/images/" + VM + ".back.qcow2");
        assertThat(back.details()).containsEntry("from", "/var/lib/libvirt/pool2/" + VM + ".qcow2");
        assertThat(Files.exists(pool2)).as("deleteSource removed the old image").isFalse();
        assertThat(LibvirtTestHosts.guestDigest(LibvirtTestHosts.DIR.resolve("A/lib/images/" + VM + ".back.qcow2")))
                .isEqualTo(before);
        LibvirtTestHosts.awaitCounter("A", VM, (int) mark + 2);
        assertThat(LibvirtTestHosts.serial("A", VM).stream().filter(l -> l.startsWith("BOOT"))).hasSize(1);
    }
}
