package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.throttle.BandwidthLimiter;
import dev.caravan.core.verify.VerifyMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ObjectCopierTest {
    @Test
    void copiesOneObjectToAnotherKeyVerified() {
        MemoryStore src = new MemoryStore("s");
        MemoryStore dst = new MemoryStore("d");
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        src.add("in/a.txt", data, Instant.EPOCH);
        try (ObjectCopier copier = new ObjectCopier(src, dst, VerifyMode.SHA256, new BandwidthLimiter(0), 0)) {
            ObjectCopier.Copied c = copier.copy("in/a.txt", "out/b.txt");
            assertThat(c.bytes()).isEqualTo(5);
            assertThat(c.verification().matches()).isTrue();
            assertThat(dst.bytes("out/b.txt")).isEqualTo(data);
            assertThat(dst.objects()).hasSize(1);
            assertThat(dst.objects().get("out/b.txt").modTime()).isEqualTo(Instant.EPOCH);
        }
    }

    @Test
    void aCorruptCopyIsNeverPublished() {
        MemoryStore src = new MemoryStore("s");
        MemoryStore dst = new MemoryStore("d");
        src.add("a", new byte[] {1, 2, 3}, Instant.EPOCH);
        dst.corruptPuts = true;
        try (ObjectCopier copier = new ObjectCopier(src, dst, VerifyMode.SHA256, new BandwidthLimiter(0), 0)) {
            assertThatThrownBy(() -> copier.copy("a", "a")).isInstanceOf(MigrationException.class)
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.VERIFICATION_FAILED);
        }
        assertThat(dst.objects()).isEmpty();
    }
}
