package dev.caravan.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A path's place on its file system, read from mountinfo lines as Linux writes them. */
class LocalDiskTest {
    private static final List<LocalDisk.Mount> MOUNTS = LocalDisk.parse(List.of(
            "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
            "24 23 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw",
            "29 24 0:26 / /dev/shm rw,relatime - tmpfs tmpfs rw",
            "41 26 254:0 /srv/data /mnt/alias rw,relatime - ext4 /dev/vda rw",
            "42 26 254:0 /srv/my\\040files /mnt/my\\040files rw,relatime - ext4 /dev/vda rw",
            "43 26 8:17 / /mnt/usb rw,relatime - vfat /dev/sdb1 rw"));

    private static String at(String path) {
        return LocalDisk.location(Path.of(path), MOUNTS);
    }

    @Test
    void aDirectoryReachedThroughABindMountHasOneLocation() {
        assertThat(at("/mnt/alias/2026")).isEqualTo(at("/srv/data/2026")).isEqualTo("254:0:/srv/data/2026");
        assertThat(at("/mnt/alias")).isEqualTo("254:0:/srv/data");
        assertThat(at("/mnt/my files/a")).isEqualTo(at("/srv/my files/a")).isEqualTo("254:0:/srv/my files/a");
    }

    @Test
    void otherFileSystemsAndNamesThatOnlyBeginAlikeDiffer() {
        assertThat(at("/mnt/usb/data")).isEqualTo("8:17:/data");
        assertThat(at("/mnt/aliases/x")).isEqualTo("254:0:/mnt/aliases/x"); // not below /mnt/alias
        assertThat(at("/")).isEqualTo("254:0:/");
    }

    @Test
    void ofTwoMountsOnOnePointTheLaterIsTheOneSeen() {
        assertThat(at("/dev/shm/x")).isEqualTo("0:26:/x");
    }

    @Test
    void withoutMountsThePathItself() {
        assertThat(LocalDisk.location(Path.of("/data/x"), List.of())).isEqualTo("/data/x");
    }
}
