package dev.caravan.connector.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and rewriting domain XML (no libvirt). */
class DomainXmlTest {
    private static final String XML = "<domain type='kvm'><name>vm</name><uuid>u-1</uuid>"
            + "<memory unit='GiB'>2</memory><vcpu placement='static'>4</vcpu>"
            + "<os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os><cpu mode='host-passthrough'/>"
            + "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
            + "<disk type='volume' device='disk'><driver name='qemu' type='raw'/>"
            + "<source pool='ssd' volume='vm-root'/><target dev='sda' bus='scsi'/></disk>"
            + "<disk type='network' device='disk'><source protocol='rbd' name='rbd/vm-data'/>"
            + "<target dev='vdb' bus='virtio'/><shareable/></disk>"
            + "<disk type='file' device='disk'><source file='/img/a.qcow2'/><target dev='vdc'/></disk>"
            + "<interface type='bridge'><mac address='52:54:00:aa:bb:cc'/><source bridge='br0'/></interface>"
            + "</devices></domain>";

    @Test
    void mirrorStateTellsWhenABlockCopyMayPivot() {
        String copying = "<domain><devices><disk type='file' device='disk'><source file='/img/a.qcow2'/>"
                + "<mirror type='file' file='/pool2/a.qcow2' format='qcow2' job='copy'>"
                + "<format type='qcow2'/><source file='/pool2/a.qcow2'/></mirror><target dev='vda'/></disk>"
                + "<disk type='file' device='disk'><source file='/img/b.qcow2'/><target dev='vdb'/></disk>"
                + "</devices></domain>";

        assertThat(DomainXml.mirrorState(copying, "vda")).isEmpty();
        assertThat(DomainXml.mirrorState(copying.replace("job='copy'", "job='copy' ready='yes'"), "vda"))
                .isEqualTo("yes");
        assertThat(DomainXml.mirrorState(copying.replace("job='copy'", "job='copy' ready='pivot'"), "vda"))
                .isEqualTo("pivot");
        assertThat(DomainXml.mirrorState(copying, "vdb")).as("a disk without a copy").isNull();
        assertThat(DomainXml.mirrorState(copying, "vdz")).as("no such disk").isNull();
        assertThat(DomainXml.mirrorState(XML, "vdc")).isNull();
    }

    @Test
    void parsesCpuMemoryDisksAndNics() {
        DomainXml.Parsed p = DomainXml.parse(XML);

        assertThat(p.type()).isEqualTo("kvm");
        assertThat(p.memoryBytes()).isEqualTo(2L << 30);
        assertThat(p.vcpus()).isEqualTo(4);
        assertThat(p.machine()).isEqualTo("pc-q35-7.2");
        assertThat(p.cpuMode()).isEqualTo("host-passthrough");
        assertThat(p.cpuModel()).isNull();
        assertThat(p.emulator()).isEqualTo("/usr/bin/qemu-system-x86_64");
        assertThat(p.disks()).hasSize(3);
        assertThat(p.disks().get(0).sourcePool()).isEqualTo("ssd");
        assertThat(p.disks().get(0).sourceVolume()).isEqualTo("vm-root");
        assertThat(p.disks().get(1).source()).isEqualTo("rbd:rbd/vm-data");
        assertThat(p.disks().get(1).shareable()).isTrue();
        assertThat(p.disks().get(2).format()).isNull();
        assertThat(p.disks().get(0).backingFile()).isNull();
        assertThat(DomainXml.parse(XML.replace("<target dev='sda'", "<backingStore type='file'><source "
                + "file='/var/lib/libvirt/images/base.qcow2'/></backingStore><target dev='sda'")).disks().get(0)
                .backingFile()).isEqualTo("/var/lib/libvirt/images/base.qcow2");
        assertThat(p.nics()).singleElement().satisfies(n -> {
            assertThat(n.type()).isEqualTo("bridge");
            assertThat(n.source()).isEqualTo("br0");
            assertThat(n.model()).isNull();
        });
    }

    @Test
    void memoryDefaultsToKibAndKnowsDecimalUnits() {
        assertThat(DomainXml.parse("<domain type='qemu'><name>x</name><memory>131072</memory></domain>")
                .memoryBytes()).isEqualTo(128L << 20);
        assertThat(DomainXml.parse("<domain type='qemu'><name>x</name><memory unit='MB'>100</memory></domain>")
                .memoryBytes()).isEqualTo(100_000_000L);
    }

    @Test
    void rewritesOnlyTheNamedDiskSources() {
        String out = DomainXml.withDiskSources(XML, Map.of("/img/a.qcow2", "/pool2/a.qcow2"));

        assertThat(DomainXml.parse(out).disks().get(2).source()).isEqualTo("/pool2/a.qcow2");
        assertThat(DomainXml.parse(out).disks().get(0).sourceVolume()).isEqualTo("vm-root");
    }

    @Test
    void refusesMalformedXmlAndDoctypes() {
        assertThatThrownBy(() -> DomainXml.parse("<domain>")).isInstanceOf(MigrationException.class);
        assertThatThrownBy(() -> DomainXml.parse("<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><d>&x;</d>"))
                .isInstanceOf(MigrationException.class);
    }
}
