package dev.caravan.connector.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.PreflightCheck.Status;
import dev.caravan.api.vm.VmState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preflight refusals against two test-driver hosts: not enough memory, an incompatible CPU, a shared-disk
 * migration without shared storage, a name taken, no room in the target pool. The test driver cannot compare
 * CPUs (its verdict is "unknown": a warning), so the incompatible case replaces only that comparison, with the
 * verdict libvirt gives for a model the target lacks.
 */
class LibvirtPreflightTest {
    @TempDir
    Path tmp;
    private LibvirtHypervisor source;
    private LibvirtHypervisor target;

    private void hosts(long targetMemoryKib, String... targetParts) {
        String src = TestDriverHosts.host(tmp, "src.xml", 8 << 20,
                TestDriverHosts.domain("big", "01", 4096, "/pools/a/big.qcow2", "Skylake-Server", 1),
                TestDriverHosts.domain("small", "02", 256, "/pools/a/small.qcow2", null, 1),
                TestDriverHosts.pool("a", "aa", "/pools/a", "big.qcow2:64", "small.qcow2:32"));
        String dst = TestDriverHosts.host(tmp, "dst.xml", targetMemoryKib, targetParts);
        source = (LibvirtHypervisor) new LibvirtHypervisorProvider().open(src, null);
        target = (LibvirtHypervisor) new LibvirtHypervisorProvider().open(dst, null);
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    private static PreflightCheck check(List<PreflightCheck> checks, String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void refusesWhenTheTargetLacksMemory() {
        // 2 GiB host already running a 1 GiB domain: 1 GiB free, the domain needs 4 GiB
        hosts(2 << 20, TestDriverHosts.domain("other", "09", 1024, "/pools/b/other.qcow2", null, 1),
                TestDriverHosts.pool("a", "bb", "/pools/a"));

        List<PreflightCheck> checks = source.preflight("big", target, MigrationKind.LIVE,
                LiveMigrationOptions.defaults());

        assertThat(check(checks, "memory").status()).isEqualTo(Status.FAIL);
        assertThat(check(checks, "memory").detail()).contains("needs 4096 MiB", "1024 MiB");
        assertThat(check(checks, "hypervisor-type").status()).isEqualTo(Status.PASS);
        assertThat(check(checks, "cpu-compatibility").status()).as("test driver: unknown").isEqualTo(Status.WARN);
        assertThat(source.preflight("small", target, MigrationKind.LIVE, LiveMigrationOptions.defaults()))
                .filteredOn(c -> c.name().equals("memory")).singleElement()
                .satisfies(c -> assertThat(c.status()).as(c.detail()).isEqualTo(Status.PASS));
    }

    @Test
    void refusesAnIncompatibleCpuModelAndMovesNothing() {
        hosts(16 << 20, TestDriverHosts.pool("a", "bb", "/pools/a"));
        source.cpuComparator((t, d) -> "Skylake-Server".equals(d.cpuModel())
                ? new CpuComparator.Result(CpuComparator.Verdict.INCOMPATIBLE, d.cpuModel()
                        + " is not available on the target (virConnectCompareHypervisorCPU: incompatible)")
                : new CpuComparator.Result(CpuComparator.Verdict.COMPATIBLE, "ok"));

        PreflightCheck cpu = check(source.preflight("big", target, MigrationKind.LIVE,
                LiveMigrationOptions.defaults()), "cpu-compatibility");

        assertThat(cpu.status()).isEqualTo(Status.FAIL);
        assertThat(cpu.detail()).contains("Skylake-Server");
        assertThatThrownBy(() -> source.migrateLive("big", target, LiveMigrationOptions.defaults(), p -> { }))
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
                    assertThat(e.getMessage()).contains("refused by preflight", "cpu-compatibility");
                });
        assertThat(source.find("big")).get().extracting(r -> r.state()).isEqualTo(VmState.RUNNING);
        assertThat(target.find("big")).isEmpty();
        // the test driver passes the preflight for 'small' but has no migration API: UNSUPPORTED, nothing moved
        assertThatThrownBy(() -> source.migrateLive("small", target, LiveMigrationOptions.defaults(), p -> { }))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.UNSUPPORTED));
        assertThat(source.find("small")).isPresent();
    }

    @Test
    void refusesASharedDiskMigrationWithoutSharedStorage() {
        hosts(16 << 20, TestDriverHosts.pool("other", "bb", "/pools/other"));

        List<PreflightCheck> checks = source.preflight("small", target, MigrationKind.LIVE,
                LiveMigrationOptions.builder().sharedDisk(true).allowUnsafe(true).build());

        PreflightCheck shared = check(checks, "shared-storage");
        assertThat(shared.status()).isEqualTo(Status.FAIL);
        assertThat(shared.detail()).contains("without shared storage", "/pools/a/small.qcow2");
        assertThat(checks).noneMatch(c -> c.name().equals("storage-capacity"));
    }

    @Test
    void aPathBothHostsSeeInADirectoryPoolIsUnsafeUnlessAllowed() throws Exception {
        // two connections to test:///default (one state per JVM) see one file, as two hosts sharing a directory do
        source = (LibvirtHypervisor) new LibvirtHypervisorProvider().open("test:///default", null);
        target = (LibvirtHypervisor) new LibvirtHypervisorProvider().open("test:///default", null);
        String vm = "pf-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        org.libvirt.StorageVol vol = source.connection().storagePoolLookupByName("default-pool").storageVolCreateXML(
                "<volume><name>" + vm + ".qcow2</name><capacity unit='MiB'>8</capacity></volume>", 0);
        source.define(TestDriverHosts.domain(vm, "0e", 128, vol.getPath(), null, 1), false);
        try {
            LiveMigrationOptions shared = LiveMigrationOptions.builder().sharedDisk(true).build();
            PreflightCheck refused = check(source.preflight(vm, target, MigrationKind.LIVE, shared),
                    "shared-storage");
            assertThat(refused.status()).as(refused.detail()).isEqualTo(Status.FAIL);
            assertThat(refused.detail()).contains("unsafe", "vda (" + vol.getPath() + ")");
            assertThat(check(source.preflight(vm, target, MigrationKind.LIVE,
                    shared.toBuilder().allowUnsafe(true).build()), "shared-storage").status()).isEqualTo(Status.WARN);
            // shared nothing would copy the file onto itself: refused before libvirt starts (and fails) the copy
            PreflightCheck copy = check(source.preflight(vm, target, MigrationKind.LIVE,
                    LiveMigrationOptions.defaults()), "disk-copy");
            assertThat(copy.status()).isEqualTo(Status.FAIL);
            assertThat(copy.detail()).contains("vda (" + vol.getPath() + ")", "sharedDisk=true");
        } finally {
            if (source.domain(vm).isActive() == 1) {
                source.domain(vm).destroy();
            }
            source.undefine(vm);
            vol.delete(0);
        }
    }

    @Test
    void aCopyAtTheSamePathOnTheTargetIsNotSharedStorage() {
        // each test:///<file> connection is a host of its own: a volume at the same path there is another file
        hosts(16 << 20, TestDriverHosts.pool("a", "bb", "/pools/a", "small.qcow2:32"));

        PreflightCheck shared = check(source.preflight("small", target, MigrationKind.LIVE,
                LiveMigrationOptions.builder().sharedDisk(true).allowUnsafe(true).build()), "shared-storage");
        assertThat(shared.status()).isEqualTo(Status.FAIL);
        assertThat(shared.detail()).contains("vda (/pools/a/small.qcow2) is a different file on the target");
        assertThat(check(source.preflight("small", target, MigrationKind.LIVE, LiveMigrationOptions.defaults()),
                "disk-copy").status()).isEqualTo(Status.PASS);
    }

    @Test
    void sharedNothingNeedsAPoolWithRoomAndAFreeName() {
        hosts(16 << 20, TestDriverHosts.domain("small", "03", 256, "/x/small.qcow2", null, 5));

        List<PreflightCheck> checks = source.preflight("small", target, MigrationKind.LIVE,
                LiveMigrationOptions.defaults());

        assertThat(check(checks, "storage-capacity").status()).isEqualTo(Status.FAIL);
        assertThat(check(checks, "storage-capacity").detail()).contains("no storage pool on the target");
        assertThat(check(checks, "target-name").status()).isEqualTo(Status.FAIL);
        PreflightCheck cold = check(source.preflight("small", target, MigrationKind.COLD,
                LiveMigrationOptions.defaults()), "storage-capacity");
        assertThat(cold.status()).isEqualTo(Status.FAIL);
        assertThat(cold.detail()).contains("no pool 'a' on the target");
    }

    @Test
    void aColdMoveRefusesSnapshotsAndOverlaysBeforeTheGuestStops() throws Exception {
        hosts(16 << 20, TestDriverHosts.pool("a", "bb", "/pools/a"));
        source.define(TestDriverHosts.domain("layered", "04", 256, "/pools/a/layered-top.qcow2", null, 1)
                .replace("<target dev='vda' bus='virtio'/>", "<target dev='vda' bus='virtio'/><backingStore "
                        + "type='file'><format type='qcow2'/><source file='/pools/a/base.qcow2'/></backingStore>"),
                false);
        source.domain("small").snapshotCreateXML("<domainsnapshot><name>before-upgrade</name></domainsnapshot>");

        List<PreflightCheck> small = source.preflight("small", target, MigrationKind.COLD,
                LiveMigrationOptions.defaults());

        // libvirt would refuse to undefine the source only after the target runs: the move must stop here
        assertThat(check(small, "snapshots").status()).isEqualTo(Status.FAIL);
        assertThat(check(small, "snapshots").detail()).contains("1 snapshot(s) (before-upgrade)",
                "virsh snapshot-delete small");
        assertThat(check(small, "backing-chain").status()).isEqualTo(Status.PASS);
        List<PreflightCheck> layered = source.preflight("layered", target, MigrationKind.COLD,
                LiveMigrationOptions.defaults());
        assertThat(check(layered, "snapshots").status()).isEqualTo(Status.PASS);
        assertThat(check(layered, "backing-chain").status()).as(check(layered, "backing-chain").detail())
                .isEqualTo(Status.FAIL);
        assertThat(check(layered, "backing-chain").detail()).contains(
                "vda (/pools/a/layered-top.qcow2 on /pools/a/base.qcow2)", "virsh blockpull layered");
        assertThat(source.preflight("small", target, MigrationKind.LIVE, LiveMigrationOptions.defaults()))
                .extracting(PreflightCheck::name).doesNotContain("snapshots", "backing-chain");
    }

    @Test
    void forecastNeedsABandwidthAndPassesWhenItConverges() {
        hosts(16 << 20, TestDriverHosts.pool("a", "bb", "/pools/a"));

        assertThat(check(source.preflight("small", target, MigrationKind.LIVE, LiveMigrationOptions.defaults()),
                "forecast").status()).isEqualTo(Status.WARN);
        PreflightCheck f = check(source.preflight("small", target, MigrationKind.LIVE,
                LiveMigrationOptions.builder().linkBandwidth(100L << 20).build()), "forecast");
        assertThat(f.status()).isEqualTo(Status.PASS);
        assertThat(f.detail()).contains("100 MiB/s", "dirty rate not sampled");
    }

    @Test
    void forecastWarnsWhenTheMigrationWouldOutlastItsCompletionTimeout() {
        hosts(16 << 20, TestDriverHosts.pool("a", "bb", "/pools/a"));
        LiveMigrationOptions slowLink = LiveMigrationOptions.builder().linkBandwidth(1L << 20).build();

        // 256 MiB of memory and 32 MiB of disk at 1 MiB/s: about 288 s, within the default timeout (1600 s)
        assertThat(check(source.preflight("small", target, MigrationKind.LIVE, slowLink), "forecast").status())
                .isEqualTo(Status.PASS);
        PreflightCheck f = check(source.preflight("small", target, MigrationKind.LIVE, slowLink.toBuilder()
                .completionTimeout(java.time.Duration.ofSeconds(60), LiveMigrationOptions.TimeoutAction.ABORT)
                .build()), "forecast");
        assertThat(f.status()).isEqualTo(Status.WARN);
        assertThat(f.detail()).contains("longer than the completion timeout of 60 s, which would abort it");
    }

    @Test
    void refusesAGuestTypeOrArchitectureTheTargetCannotRun() {
        hosts(16 << 20, TestDriverHosts.pool("a", "bb", "/pools/a"));
        source.define(TestDriverHosts.domain("x64", "07", 128, "/pools/a/small.qcow2", null, 5)
                .replace("arch='i686'", "arch='x86_64'"), false);

        PreflightCheck type = check(source.preflight("x64", target, MigrationKind.COLD,
                LiveMigrationOptions.defaults()), "hypervisor-type");

        assertThat(type.status()).isEqualTo(Status.FAIL);
        assertThat(type.detail()).contains("cannot run x86_64 guests of type 'test'");
    }
}
