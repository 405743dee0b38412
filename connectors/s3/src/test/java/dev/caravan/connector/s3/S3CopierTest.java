package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ServerSideCopy;
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

    @Test
    void aListedEtagIsTakenForTheSourcesMd5OnlyWhenTheCopyProvesIt() {
        ObjectInfo listed = new ObjectInfo("a.bin", 10, null, Map.of(), "\"" + MD5 + "\"", null, Map.of(), -1);
        ServerSideCopy.Copied proven = S3Copier.listedCopy(listed, "b.bin", "\"" + MD5 + "\"", () -> {
            throw new AssertionError("no HEAD of a proven copy");
        });
        assertThat(proven.source().hash(HashType.MD5)).contains(MD5);
        assertThat(proven.copy().hash(HashType.MD5)).contains(MD5);

        // an SSE-KMS source: its listed ETag is no MD5; the copy (into a plain bucket) has its real MD5
        String realMd5 = "fedcba9876543210fedcba9876543210";
        ObjectInfo head = new ObjectInfo("b.bin", 10, null, Map.of(HashType.MD5, realMd5), "\"" + realMd5 + "\"", null,
                Map.of(), -1);
        ServerSideCopy.Copied unproven = S3Copier.listedCopy(listed, "b.bin", "\"" + realMd5 + "\"", () -> head);
        assertThat(unproven.source().hash(HashType.MD5)).as("not claimed").isEmpty();
        assertThat(unproven.copy()).isSameAs(head);
    }
}
