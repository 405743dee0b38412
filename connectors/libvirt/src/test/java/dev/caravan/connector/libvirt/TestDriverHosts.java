package dev.caravan.connector.libvirt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes state files for libvirt's test driver: {@code test:///<file>} gives every connection a fresh, private
 * copy of the host the file describes (unlike {@code test:///default}, which is one state per JVM).
 */
final class TestDriverHosts {
    private TestDriverHosts() {
    }

    /** A domain of type 'test' with one disk, one NIC and a CPU model; {@code runstate} 1 running, 5 shut off. */
    static String domain(String name, String uuidSuffix, int memoryMib, String diskPath, String cpuModel,
            int runstate) {
        return "<domain type='test'><name>" + name + "</name>"
                + "<uuid>11111111-2222-3333-4444-5555555555" + uuidSuffix + "</uuid>"
                + "<memory unit='MiB'>" + memoryMib + "</memory><vcpu>2</vcpu>"
                + "<os><type arch='i686'>hvm</type></os>"
                + (cpuModel == null ? "" : "<cpu mode='custom' match='exact'><model fallback='forbid'>" + cpuModel
                        + "</model></cpu>")
                + "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='"
                + diskPath + "'/><target dev='vda' bus='virtio'/></disk>"
                + "<disk type='file' device='cdrom'><source file='/iso/install.iso'/><target dev='hdc' bus='ide'/>"
                + "<readonly/></disk>"
                + "<interface type='network'><mac address='52:54:00:12:34:" + uuidSuffix + "'/>"
                + "<source network='default'/><model type='virtio'/></interface></devices>"
                + "<test:runstate xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>" + runstate
                + "</test:runstate></domain>";
    }

    /** A dir pool with volumes ({@code name:MiB} pairs). */
    static String pool(String name, String uuidSuffix, String path, String... volumes) {
        StringBuilder b = new StringBuilder("<pool type='dir'><name>" + name + "</name><uuid>11111111-2222-3333-"
                + "4444-5555555555" + uuidSuffix + "</uuid><target><path>" + path + "</path></target>");
        for (String v : volumes) {
            String[] p = v.split(":");
            b.append("<volume><name>").append(p[0]).append("</name><capacity unit='MiB'>").append(p[1])
                    .append("</capacity><allocation unit='MiB'>").append(p[1])
                    .append("</allocation><target><format type='qcow2'/></target></volume>");
        }
        return b.append("</pool>").toString();
    }

    /** Writes a host with {@code memoryKib} of RAM and the given domains and pools; returns its URI. */
    static String host(Path dir, String file, long memoryKib, String... parts) {
        StringBuilder b = new StringBuilder("<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores>"
                + "<threads>1</threads><mhz>2000</mhz><model>i686</model><active>2</active></cpu><memory>"
                + memoryKib + "</memory>");
        for (String p : parts) {
            b.append(p);
        }
        b.append("</node>");
        try {
            Path f = dir.resolve(file);
            Files.writeString(f, b.toString());
            return "test://" + f.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
