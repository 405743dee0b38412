package dev.caravan.connector.libvirt;

import static dev.caravan.connector.libvirt.RealHosts.A;
import static dev.caravan.connector.libvirt.RealHosts.B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.Hypervisor;
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
class ColdMigrationIT {
    private static final String VM = "cv-cold";
    @TempDir
    Path home;
    private Hypervisor a;
    private Hypervisor b;
    private MigrationEngine engine;

    @BeforeEach
    void setUp() {
        RealHosts.cleanup(VM);
        a = RealHosts.open(A);
        b = RealHosts.open(B);
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(home),
                ConnectorRegistry.of(new LibvirtPoolStoreProvider(), new LibvirtHypervisorProvider()));
    }

    @AfterEach
    void tearDown() {
        RealHosts.cleanup(VM);
        engine.close();
        a.close();
        b.close();
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shutsDownCopiesVerifiesStartsAndOnlyThenRemovesTheSource() throws Exception {
        RealHosts.startGuest(a, VM);
        Path onA = RealHosts.DIR.resolve("A/lib/images/" + VM + ".qcow2");
        String fileDigest = RealHosts.sha256(onA);
        RealHosts.truncateSerial("B", VM);
        List<JobProgress> seen = new CopyOnWriteArrayList<>();

        MigrationResult r = new ColdMigration(engine).migrate(a, b, VM,
                ColdMigrationOptions.defaults().withShutdown(Duration.ofSeconds(1), true), seen::add);

        Path onB = RealHosts.DIR.resolve("B/lib/images/" + VM + ".qcow2");
        assertThat(RealHosts.sha256(onB)).isEqualTo(fileDigest);
        assertThat(r.diskBytes()).isEqualTo(Files.size(onB));
        assertThat(r.details()).containsEntry("forcedShutdown", "true");
        assertThat(r.downtime()).isPositive();
        assertThat(seen).anySatisfy(p -> assertThat(p.processedBytes()).isPositive());
        assertThat(b.find(VM)).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(a.find(VM)).isEmpty();
        assertThat(Files.exists(onA)).isFalse();
        RealHosts.awaitCounter("B", VM, 1);
        assertThat(RealHosts.serial("B", VM).get(0)).startsWith("BOOT migtest");
    }
}
