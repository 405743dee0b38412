package dev.caravan.connector.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;

/**
 * Whether two hosts see one file at a path, on libvirt's test driver: {@code test:///<file>} gives each connection a
 * private host (a volume at the same path on both is a copy), {@code test:///default} is one host state per JVM (two
 * connections to it see the very same volume). A volume's key, size and (missing) change time cannot tell the two
 * apart; a marker written next to the file on one host and looked for on the other can.
 */
class VolumeIdentityTest {
    @TempDir
    Path tmp;

    @Test
    void aCopyAtTheSamePathOnAnotherHostIsNotTheSameFile() throws Exception {
        String a = TestDriverHosts.host(tmp, "a.xml", 4 << 20, TestDriverHosts.pool("p", "aa", "/pools/p",
                "disk.qcow2:32"));
        String b = TestDriverHosts.host(tmp, "b.xml", 4 << 20, TestDriverHosts.pool("p", "bb", "/pools/p",
                "disk.qcow2:32"));
        Connect ca = new Connect(a);
        Connect cb = new Connect(b);
        try {
            assertThat(VolumeIdentity.sameFile(ca, cb, "/pools/p/disk.qcow2")).isFalse();
            assertThat(VolumeIdentity.sameFile(ca, cb, "/pools/p/none.qcow2")).isFalse();
            assertThat(List.of(ca.storagePoolLookupByName("p").listVolumes()))
                    .as("the marker is removed again").containsExactly("disk.qcow2");
        } finally {
            ca.close();
            cb.close();
        }
    }

    @Test
    void oneFileBothHostsSeeIsTheSameFile() throws Exception {
        Connect ca = new Connect("test:///default");
        Connect cb = new Connect("test:///default");
        StoragePool pool = ca.storagePoolLookupByName("default-pool");
        String name = "vi-" + UUID.randomUUID() + ".qcow2";
        StorageVol vol = pool.storageVolCreateXML("<volume><name>" + name + "</name><capacity unit='MiB'>8</capacity>"
                + "<target><format type='qcow2'/></target></volume>", 0);
        try {
            assertThat(VolumeIdentity.sameFile(ca, cb, vol.getPath())).isTrue();
            assertThat(List.of(pool.listVolumes())).as("the marker is removed again").contains(name)
                    .noneMatch(n -> n.startsWith("caravan-same-file"));
        } finally {
            vol.delete(0);
            ca.close();
            cb.close();
        }
    }
}
