package dev.caravan.connector.libvirt;

import static dev.caravan.connector.libvirt.LibvirtTestHosts.A;
import static dev.caravan.connector.libvirt.LibvirtTestHosts.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.VmState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live shared-disk migration: the disk lives in pool 'shared' (one directory both hosts see), so only memory moves.
 * A local directory is what libvirt calls unsafe: the preflight refuses it until allowUnsafe, then the migration
 * runs with the UNSAFE flag and the guest keeps running on the same file.
 */
class SharedDiskMigrationIT extends TestHostsFixture {
    private static final String VM = "cv-shared";

    SharedDiskMigrationIT() {
        super(VM);
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void refusedAsUnsafeUntilAllowedThenOnlyMemoryMoves() {
        LibvirtTestHosts.uploadGuest(A, "shared", VM + ".qcow2");
        String disk = LibvirtTestHosts.DIR.resolve("shared/" + VM + ".qcow2").toString();
        String before = LibvirtTestHosts.guestDigest(LibvirtTestHosts.DIR.resolve("shared/" + VM + ".qcow2"));
        LibvirtTestHosts.truncateSerial("A", VM);
        LibvirtTestHosts.truncateSerial("B", VM);
        a.define(LibvirtTestHosts.domainXml(VM, disk, "qemu64"), true);
        LibvirtTestHosts.awaitCounter("A", VM, 2);
        LiveMigrationOptions shared = LiveMigrationOptions.builder().sharedDisk(true)
                .migrateUri(LibvirtTestHosts.MIGRATE_URI).build();

        List<PreflightCheck> checks = a.preflight(VM, b, MigrationKind.LIVE, shared);
        assertThat(checks).filteredOn(c -> c.name().equals("shared-storage")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(PreflightCheck.Status.FAIL))
                .satisfies(c -> assertThat(c.detail()).contains("unsafe", "allowUnsafe"));
        assertThatThrownBy(() -> a.migrateLive(VM, b, shared, p -> { }))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG));
        assertThat(a.find(VM)).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);

        LiveMigrationOptions unsafe = shared.toBuilder().allowUnsafe(true).build();
        assertThat(a.preflight(VM, b, MigrationKind.LIVE, unsafe)).filteredOn(c -> c.name().equals("shared-storage"))
                .singleElement().extracting(PreflightCheck::status).isEqualTo(PreflightCheck.Status.WARN);
        MigrationResult r = a.migrateLive(VM, b, unsafe, p -> { });

        assertThat(b.find(VM)).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(a.find(VM)).isEmpty();
        assertThat(r.downtime()).isNotNull().isPositive();
        assertThat(r.iterations()).isGreaterThanOrEqualTo(1);
        assertThat(r.diskBytes()).isLessThanOrEqualTo(0);
        assertThat(b.describe(VM).disks().get(0).source()).isEqualTo(disk);
        long lastOnA = LibvirtTestHosts.counters("A", VM).get(LibvirtTestHosts.counters("A", VM).size() - 1);
        LibvirtTestHosts.awaitCounter("B", VM, 2);
        assertThat(LibvirtTestHosts.serial("B", VM)).noneMatch(l -> l.startsWith("BOOT"));
        assertThat(LibvirtTestHosts.counters("B", VM).get(0)).isGreaterThan(lastOnA);
        assertThat(LibvirtTestHosts.guestDigest(LibvirtTestHosts.DIR.resolve("shared/" + VM + ".qcow2"))).isEqualTo(before);
    }
}
