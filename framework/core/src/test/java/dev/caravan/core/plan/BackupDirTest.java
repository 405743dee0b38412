package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackupDirTest {
    @Test
    void theSuffixGoesAfterTheNameOrBeforeItsExtension() {
        assertThat(new BackupDir("local:/b", null, false).keyFor("d/a.txt")).isEqualTo("d/a.txt");
        assertThat(new BackupDir("local:/b", ".1", false).keyFor("d/a.txt")).isEqualTo("d/a.txt.1");
        assertThat(new BackupDir("local:/b", ".1", true).keyFor("d/a.tar.gz")).isEqualTo("d/a.tar.1.gz");
        assertThat(new BackupDir("local:/b", ".1", true).keyFor("d.x/.profile")).isEqualTo("d.x/.profile.1");
        assertThat(new BackupDir("local:/b", ".1", true).keyFor("d.x/README")).isEqualTo("d.x/README.1");
    }

    @Test
    void aSuffixWithoutABackupDirIsRefused() {
        assertThat(BackupDir.of(null, null, false)).isNull();
        assertThatThrownBy(() -> BackupDir.of(null, ".old", false)).hasMessageContaining("give the backup dir too");
        assertThatThrownBy(() -> BackupDir.of("", null, true)).hasMessageContaining("give the backup dir too");
        assertThatThrownBy(() -> BackupDir.of("local:/b", "a/b", false)).hasMessageContaining("cannot contain '/'");
    }
}
