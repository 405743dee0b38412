package dev.caravan.connector.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.HostInfo;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.StorageMoveOptions;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmDisk;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing, describing, lifecycle and error paths against libvirt's test driver (one fresh host per test). */
class LibvirtHypervisorTest {
    @TempDir
    Path tmp;
    private Hypervisor host;

    @BeforeEach
    void open() {
        String uri = TestDriverHosts.host(tmp, "src.xml", 8 << 20,
                TestDriverHosts.domain("web", "01", 512, "/pools/a/web.qcow2", "Haswell", 1),
                TestDriverHosts.domain("db", "02", 1024, "/pools/a/db.qcow2", null, 5),
                TestDriverHosts.pool("a", "aa", "/pools/a", "web.qcow2:64", "db.qcow2:128"));
        host = new LibvirtHypervisorProvider().open(uri, null);
    }

    @AfterEach
    void close() {
        host.close();
    }

    @Test
    void listsRunningAndDefinedDomainsSortedByName() {
        List<VmRef> refs = host.list();

        assertThat(refs).extracting(VmRef::name).containsExactly("db", "web");
        assertThat(refs).extracting(VmRef::state).containsExactly(VmState.SHUT_OFF, VmState.RUNNING);
        assertThat(refs.get(1).uuid()).isEqualTo("11111111-2222-3333-4444-555555555501");
        assertThat(refs).allMatch(VmRef::persistent);
        assertThat(host.find("nope")).isEmpty();
    }

    @Test
    void describesCpuMemoryDisksWithTheirPoolsAndNics() {
        VmDescription d = host.describe("web");

        assertThat(d.vcpus()).isEqualTo(2);
        assertThat(d.cpuModel()).isEqualTo("Haswell");
        assertThat(d.cpuMode()).isEqualTo("custom");
        assertThat(d.memoryBytes()).isEqualTo(512L << 20);
        assertThat(d.virtType()).isEqualTo("test");
        assertThat(d.arch()).isEqualTo("i686");
        VmDisk vda = d.disks().get(0);
        assertThat(vda.target()).isEqualTo("vda");
        assertThat(vda.source()).isEqualTo("/pools/a/web.qcow2");
        assertThat(vda.format()).isEqualTo("qcow2");
        assertThat(vda.pool()).isEqualTo("a");
        assertThat(vda.volume()).isEqualTo("web.qcow2");
        assertThat(vda.capacity()).isEqualTo(64L << 20);
        assertThat(vda.shared()).isFalse();
        assertThat(d.disks().get(1).device()).isEqualTo("cdrom");
        assertThat(d.disks().get(1).readOnly()).isTrue();
        assertThat(d.dataDisks()).extracting(VmDisk::target).containsExactly("vda");
        assertThat(d.diskBytes()).isEqualTo(64L << 20);
        assertThat(d.nics()).singleElement().satisfies(n -> {
            assertThat(n.mac()).isEqualTo("52:54:00:12:34:01");
            assertThat(n.network()).isEqualTo("default");
            assertThat(n.model()).isEqualTo("virtio");
        });
    }

    @Test
    void reportsTheHost() {
        HostInfo h = host.host();

        assertThat(h.hypervisorType()).isEqualTo("TEST");
        assertThat(h.memoryBytes()).isEqualTo(8L << 30);
        assertThat(h.cpus()).isEqualTo(2);
        assertThat(h.arch()).isNotBlank();
    }

    @Test
    void definitionRewritesDiskPathsAndDefinesElsewhere() {
        String xml = host.definition("db", Map.of("/pools/a/db.qcow2", "/pools/b/db.qcow2"));
        assertThat(xml).contains("/pools/b/db.qcow2").doesNotContain("/pools/a/db.qcow2");

        host.undefine("db");
        assertThat(host.find("db")).isEmpty();
        VmRef back = host.define(xml, true);

        assertThat(back.state()).isEqualTo(VmState.RUNNING);
        assertThat(host.describe("db").disks().get(0).source()).isEqualTo("/pools/b/db.qcow2");
    }

    @Test
    void shutsDownGracefullyStartsAndRefusesToUndefineARunningDomain() {
        assertThatThrownBy(() -> host.undefine("web")).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG));

        boolean forced = host.shutdown("web", Duration.ofSeconds(5), false);

        assertThat(forced).isFalse();
        assertThat(host.find("web")).get().extracting(VmRef::state).isEqualTo(VmState.SHUT_OFF);
        assertThat(host.shutdown("web", Duration.ZERO, false)).as("already off").isFalse();
        host.start("web");
        assertThat(host.find("web")).get().extracting(VmRef::state).isEqualTo(VmState.RUNNING);
    }

    @Test
    void volumeStoreAndPathsNameThePool() {
        assertThat(host.volumePath("a", "x.qcow2")).contains("/pools/a/x.qcow2");
        assertThat(host.volumePath("nope", "x.qcow2")).isEmpty();
        assertThat(host.volumeStore("a").uri()).startsWith("libvirt-pool:test://");
        assertThat(host.volumeStore("a").options()).containsEntry("pool", "a");
    }

    @Test
    void errorPathsAreClassified() {
        assertThatThrownBy(() -> host.describe("nope")).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> host.jobProgress("web")).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED));
        assertThatThrownBy(() -> host.abort("web")).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED));
        assertThatThrownBy(() -> host.moveStorage("web", StorageMoveOptions.toPath("vda", "/pools/b/web.qcow2"),
                p -> { })).isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED));
        assertThatThrownBy(() -> host.moveStorage("db", StorageMoveOptions.toPath("vda", "/pools/b/db.qcow2"),
                p -> { })).isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG));
        assertThatThrownBy(() -> host.define("<domain type='test'><name>bad", false))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isIn(ErrorKind.USER_CONFIG, ErrorKind.USER_DATA));
    }

    @Test
    void refusesBadLocations() {
        LibvirtHypervisorProvider p = new LibvirtHypervisorProvider();
        assertThatThrownBy(() -> p.open("", null)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG));
        assertThatThrownBy(() -> p.open("test://" + tmp.resolve("missing.xml"), null))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG));
    }
}
