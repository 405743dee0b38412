package dev.caravan.connector.libvirt;

import static dev.caravan.connector.libvirt.LibvirtTestHosts.A;
import static dev.caravan.connector.libvirt.LibvirtTestHosts.B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.VmState;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.vm.ColdMigration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold migration A -> B through the engine: the running guest is shut down (it ignores ACPI, so by force after
 * the grace), its qcow2 volume copied through libvirt streams by the object engine and verified by SHA-256, the
 * domain defined and started on B, and only then removed from A. The copy is byte-identical and the guest boots.
 */
class ColdMigrationIT extends TestHostsFixture {
    private static final String VM = "cv-cold";
    @TempDir
    Path home;
    private MigrationEngine engine;

    ColdMigrationIT() {
        super(VM);
    }

    @BeforeEach
    void openEngine() {
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(home),
                ConnectorRegistry.of(new LibvirtPoolStoreProvider(), new LibvirtHypervisorProvider()));
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shutsDownCopiesVerifiesStartsAndOnlyThenRemovesTheSource() throws Exception {
        LibvirtTestHosts.startGuest(a, VM);
        Path onA = LibvirtTestHosts.DIR.resolve("A/lib/images/" + VM + ".qcow2");
        String fileDigest = LibvirtTestHosts.sha256(onA);
        LibvirtTestHosts.truncateSerial("B", VM);
        List<JobProgress> seen = new CopyOnWriteArrayList<>();

        MigrationResult r = new ColdMigration(engine).migrate(a, b, VM,
                ColdMigrationOptions.defaults().withShutdown(Duration.ofSeconds(1), true), seen::add);

        Path onB = LibvirtTestHosts.DIR.resolve("B/lib/images/" + VM + ".qcow2");
        assertThat(LibvirtTestHosts.sha256(onB)).isEqualTo(fileDigest);
        assertThat(r.diskBytes()).isEqualTo(Files.size(onB));
        assertThat(r.details()).containsEntry("forcedShutdown", "true");
        assertThat(r.downtime()).isPositive();
        assertThat(seen).anySatisfy(p -> assertThat(p.processedBytes()).isPositive());
        assertThat(b.find(VM)).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(a.find(VM)).isEmpty();
        assertThat(Files.exists(onA)).isFalse();
        LibvirtTestHosts.awaitCounter("B", VM, 1);
        assertThat(LibvirtTestHosts.serial("B", VM).get(0)).startsWith("BOOT migtest");
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDiskOnStorageBothHostsSeeStaysWhereItIsAndIsNotDeleted() throws Exception {
        // pool 'shared' is one directory both hosts see (as an NFS pool would be): the target runs on the same file
        LibvirtTestHosts.uploadGuest(A, "shared", VM + ".qcow2");
        Path file = LibvirtTestHosts.DIR.resolve("shared/" + VM + ".qcow2");
        String fileDigest = LibvirtTestHosts.sha256(file);
        LibvirtTestHosts.truncateSerial("A", VM);
        LibvirtTestHosts.truncateSerial("B", VM);
        a.define(LibvirtTestHosts.domainXml(VM, file.toString(), "qemu64"), true);
        LibvirtTestHosts.awaitCounter("A", VM, 1);

        MigrationResult r = new ColdMigration(engine).migrate(a, b, VM,
                ColdMigrationOptions.defaults().withShutdown(Duration.ZERO, true), null);

        assertThat(file).exists();
        assertThat(LibvirtTestHosts.sha256(file)).isEqualTo(fileDigest);
        assertThat(r.details()).containsEntry("sharedVolumes", "shared/" + VM + ".qcow2");
        assertThat(r.diskBytes()).isZero();
        assertThat(b.describe(VM).disks().get(0).source()).isEqualTo(file.toString());
        assertThat(a.find(VM)).isEmpty();
        LibvirtTestHosts.awaitCounter("B", VM, 1);
        assertThat(LibvirtTestHosts.serial("B", VM).get(0)).startsWith("BOOT migtest");
    }
}
