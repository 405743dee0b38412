package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.core.hash.HashingInputStream;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.throttle.BandwidthLimiter;
import dev.caravan.core.verify.VerifyMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A target whose put returns the SHA-256 of the bytes it wrote (as the local store does) is verified against it,
 * without reading the object back; a digest that differs stops the copy before it is published.
 */
class DigestOnPutTest {

    @Test
    void aDigestComputedByThePutVerifiesTheCopyWithoutReadingItBack() {
        MemoryStore src = new MemoryStore("s");
        src.add("a/b.txt", "hello digest".getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
        DigestingStore dst = new DigestingStore(new MemoryStore("d"), false);
        try (ObjectCopier copier = new ObjectCopier(src, dst, VerifyMode.SHA256, new BandwidthLimiter(0), 0)) {
            ObjectCopier.Copied c = copier.copy("a/b.txt", "a/b.txt");
            assertThat(c.verification().matches()).isTrue();
            assertThat(c.verification().method()).as("computed while writing, not kept by the store").isEqualTo("sha256");
        }
        assertThat(dst.opens.get()).as("reads of the target").isZero();
        assertThat(dst.delegate().bytes("a/b.txt")).asString(StandardCharsets.UTF_8).isEqualTo("hello digest");
        assertThat(dst.delegate().objects()).hasSize(1);
    }

    @Test
    void aDigestThatDiffersIsAVerificationFailureAndNothingIsPublished() {
        MemoryStore src = new MemoryStore("s");
        src.add("a", new byte[] {1, 2, 3}, Instant.EPOCH);
        DigestingStore dst = new DigestingStore(new MemoryStore("d"), true);
        try (ObjectCopier copier = new ObjectCopier(src, dst, VerifyMode.SHA256, new BandwidthLimiter(0), 0)) {
            assertThatThrownBy(() -> copier.copy("a", "a")).isInstanceOf(MigrationException.class)
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.VERIFICATION_FAILED);
        }
        assertThat(dst.delegate().objects()).as("no object, no temporary").isEmpty();
    }

    /** A store without stored digests whose put reports the SHA-256 of what it wrote (or a wrong one). */
    private static final class DigestingStore extends ForwardingStore {
        final boolean wrongDigest;
        final AtomicInteger opens = new AtomicInteger();

        DigestingStore(MemoryStore delegate, boolean wrongDigest) {
            super(delegate);
            this.wrongDigest = wrongDigest;
        }

        @Override
        public InputStream open(String key, ByteRange range) {
            opens.incrementAndGet();
            return super.open(key, range);
        }

        @Override
        public ObjectInfo put(String key, InputStream data, PutRequest request) {
            byte[] bytes;
            try {
                bytes = data.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ObjectInfo written = super.put(key, new ByteArrayInputStream(bytes), request);
            String sha;
            try {
                sha = HashingInputStream.sha256Of(new ByteArrayInputStream(wrongDigest ? new byte[0] : bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return written.withHashes(Map.of(HashType.SHA256, sha));
        }
    }
}
