package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the answer of a CopyObject proves the copy, so that no HEAD is needed. */
class S3CopierTest {
    private static final String MD5 = "0123456789abcdef0123456789abcdef";
    private static final String SHA = "a".repeat(64);
    private static final Instant MTIME = Instant.parse("2020-05-06T07:08:09.010Z");

    private static ObjectInfo source(Map<HashType, String> hashes) {
        return new ObjectInfo("dir/a.bin", 42, MTIME, hashes, "\"" + MD5 + "\"", "text/csv", Map.of("team", "blue"), -1);
    }

    @Test
    void anEqualPlainMd5EtagProvesTheCopy() {
        ObjectInfo copied = S3Copier.provenCopy(source(Map.of(HashType.MD5, MD5, HashType.SHA256, SHA)), "b.bin",
                "\"" + MD5.toUpperCase() + "\"");
        assertThat(copied).isNotNull();
        assertThat(copied.key()).isEqualTo("b.bin");
        assertThat(copied.size()).isEqualTo(42);
        assertThat(copied.modTime()).isEqualTo(MTIME);
        assertThat(copied.hashes()).isEqualTo(Map.of(HashType.MD5, MD5, HashType.SHA256, SHA));
        assertThat(copied.contentType()).isEqualTo("text/csv");
        assertThat(copied.metadata()).isEqualTo(Map.of("team", "blue"));
        assertThat(copied.etag()).isEqualTo("\"" + MD5.toUpperCase() + "\"");
    }

    @Test
    void anythingLessIsLookedAtWithAHead() {
        Map<HashType, String> md5 = Map.of(HashType.MD5, MD5);
        assertThat(S3Copier.provenCopy(source(md5), "b", "\"fedcba9876543210fedcba9876543210\"")).isNull();
        assertThat(S3Copier.provenCopy(source(md5), "b", "\"" + MD5 + "-2\"")).as("multipart ETag").isNull();
        assertThat(S3Copier.provenCopy(source(md5), "b", null)).as("no answer").isNull();
        // a source without an MD5 (listing facts, SSE-KMS, multipart) proves nothing, even with an equal ETag
        assertThat(S3Copier.provenCopy(source(Map.of(HashType.SHA256, SHA)), "b", "\"" + MD5 + "\"")).isNull();
        ObjectInfo unknownSize = new ObjectInfo("a", -1, null, md5, "\"" + MD5 + "\"", null, Map.of(), -1);
        assertThat(S3Copier.provenCopy(unknownSize, "b", "\"" + MD5 + "\"")).isNull();
    }
}
