package dev.caravan.connector.local;

import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link dev.caravan.api.store.ResumableWrite} of the local store: continuing a partly written file by offset. */
class LocalResumableWriteTest {
    @TempDir
    Path tmp;

    private LocalObjectStore store(boolean sparse) {
        return LocalSparseTest.store(tmp, sparse);
    }

    /** 3 MiB: random data with a 1 MiB run of zeros in the middle (a hole for the sparse store). */
    private static byte[] image() {
        byte[] image = randomBytes(3 << 20, 5);
        Arrays.fill(image, 1 << 20, 2 << 20, (byte) 0);
        return image;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aPartFileIsCutAtTheOffsetAndContinuedWithTheWholeFilesDigest(boolean sparse) throws Exception {
        byte[] image = image();
        LocalObjectStore store = store(sparse);
        // an interrupted earlier write: the first 2.5 MiB, of which the last bytes may be wrong
        byte[] partial = Arrays.copyOf(image, (5 << 20) / 2);
        partial[partial.length - 1] ^= 1;
        store.put("img.partial", new ByteArrayInputStream(partial), PutRequest.ofSize(-1));

        long offset = 2 << 20;
        Instant mtime = Instant.parse("2025-05-05T05:05:05Z");
        ObjectInfo written = store.writeFrom("img.partial", offset, new ByteArrayInputStream(image, (int) offset,
                image.length - (int) offset), new PutRequest(image.length, mtime, null, Map.of(), -1));

        assertSameBytes(ContractSupport.read(store, "img.partial", ByteRange.ALL), image, "continued file");
        assertThat(written.size()).isEqualTo(image.length);
        assertThat(written.modTime()).isEqualTo(mtime);
        assertThat(written.hashes()).containsEntry(HashType.SHA256, sha256(image));
    }

    @Test
    void aDamagedPrefixShowsInTheDigest() throws Exception {
        byte[] image = image();
        LocalObjectStore store = store(true);
        byte[] damaged = Arrays.copyOf(image, 2 << 20);
        damaged[100] ^= 1;
        store.put("img.partial", new ByteArrayInputStream(damaged), PutRequest.ofSize(-1));
        ObjectInfo written = store.writeFrom("img.partial", 2 << 20, new ByteArrayInputStream(image, 2 << 20,
                image.length - (2 << 20)), PutRequest.ofSize(image.length));
        assertThat(written.hashes().get(HashType.SHA256)).isNotEqualTo(sha256(image));
    }

    @Test
    void offsetZeroIsAPutAndBadOffsetsAreRefused() throws Exception {
        LocalObjectStore store = store(true);
        byte[] data = randomBytes(1000, 9);
        store.writeFrom("fresh", 0, new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
        assertSameBytes(ContractSupport.read(store, "fresh", ByteRange.ALL), data, "offset 0");

        assertThatThrownBy(() -> store.writeFrom("fresh", 1001, new ByteArrayInputStream(data),
                PutRequest.ofSize(-1))).isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_DATA));
        assertThat(Files.size(store.root().resolve("fresh"))).as("a refused offset changes nothing").isEqualTo(1000);
        assertThatThrownBy(() -> store.writeFrom("missing", 10, new ByteArrayInputStream(data),
                PutRequest.ofSize(-1))).isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> store.writeFrom("../escape", 10, new ByteArrayInputStream(data),
                PutRequest.ofSize(-1))).isInstanceOf(MigrationException.class).hasMessageContaining("../escape");
    }
}
