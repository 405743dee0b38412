package dev.caravan.connector.libvirt;

import static dev.caravan.connector.libvirt.LibvirtTestHosts.A;
import static dev.caravan.connector.libvirt.LibvirtTestHosts.B;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On the two real hosts: a file in pool 'shared' (one directory both see) is the same file however often it changes
 * while it is compared (a running guest writes its disk: every write moves the file's change time), and an image in
 * pool 'images' (each host's own directory at the same path) is not, whatever the two files hold.
 */
class VolumeIdentityIT {
    private static final String VOL = "cv-identity.qcow2";
    private LibvirtHypervisor a;
    private LibvirtHypervisor b;

    @BeforeEach
    void setUp() {
        LibvirtTestHosts.cleanup("cv-identity");
        a = (LibvirtHypervisor) LibvirtTestHosts.open(A);
        b = (LibvirtHypervisor) LibvirtTestHosts.open(B);
    }

    @AfterEach
    void tearDown() {
        LibvirtTestHosts.cleanup("cv-identity");
        a.close();
        b.close();
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSharedFileWhoseChangeTimeMovesIsStillTheSameFile() throws Exception {
        LibvirtTestHosts.uploadGuest(A, "shared", VOL);
        Path file = LibvirtTestHosts.DIR.resolve("shared").resolve(VOL);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread guest = new Thread(() -> { // as a running guest's writes do: the change time moves all the time
            long t = 0;
            while (writing.get()) {
                try {
                    Files.setLastModifiedTime(file, FileTime.fromMillis(++t));
                } catch (java.io.IOException e) {
                    return;
                }
                LockSupport.parkNanos(100_000);
            }
        }, "cv-identity-writer");
        guest.start();
        List<Boolean> verdicts = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                verdicts.add(VolumeIdentity.sameFile(a.connection(), b.connection(), file.toString()));
            }
        } finally {
            writing.set(false);
            guest.join();
        }

        assertThat(verdicts).containsOnly(true);
        assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString()))
                .as("no marker left behind").noneMatch(n -> n.startsWith("caravan-same-file"));
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCopyAtTheSamePathOnEachHostIsNotTheSameFile() throws Exception {
        LibvirtTestHosts.uploadGuest(A, "images", VOL);
        LibvirtTestHosts.uploadGuest(B, "images", VOL);
        Path onA = LibvirtTestHosts.image("A", "images", VOL);
        Files.setLastModifiedTime(LibvirtTestHosts.image("B", "images", VOL), Files.getLastModifiedTime(onA));

        assertThat(VolumeIdentity.sameFile(a.connection(), b.connection(), "/var/lib/libvirt/images/" + VOL))
                .isFalse();
    }
}
