package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.testkit.contract.AttributeWriteContract;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Content headers on every write path (one PUT, parts of a large put, the MultipartUpload capability) against
 * S3Proxy, read back by a plain client and by {@code stat}; and how the store finds that S3Proxy has no object
 * tagging, so tags are declared as not kept instead of being ignored by the server.
 */
class S3AttributesIT {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123Z");
    private static final ContentHeaders HEADERS = new ContentHeaders("max-age=60",
            "attachment; filename=\"a.pdf\"", "gzip", "de-CH");
    private static final PutRequest REQUEST = new PutRequest(-1, T0, "application/pdf", Map.of("owner", "ann"), -1,
            HEADERS, Map.of("team", "red"));
    private static S3Client raw;
    private String bucket;
    private S3ObjectStore store;

    @BeforeAll
    static void client() {
        raw = S3It.rawClient();
    }

    @AfterAll
    static void closeClient() {
        raw.close();
    }

    @BeforeEach
    void open() {
        bucket = S3It.newBucket("attrs");
        store = S3It.open(bucket + "/p", "partSize", "5M", "multipartThreshold", "5M");
    }

    @AfterEach
    void drop() {
        S3It.close(store);
        S3It.deleteBucket(raw, bucket);
    }

    private void assertKept(String key) {
        HeadObjectResponse head = raw.headObject(r -> r.bucket(bucket).key("p/" + key));
        assertThat(head.contentType()).isEqualTo("application/pdf");
        assertThat(head.cacheControl()).isEqualTo("max-age=60");
        assertThat(head.contentDisposition()).isEqualTo("attachment; filename=\"a.pdf\"");
        assertThat(head.contentEncoding()).isEqualTo("gzip");
        assertThat(head.contentLanguage()).isEqualTo("de-CH");
        ObjectInfo stat = store.stat(key).orElseThrow();
        assertThat(stat.headers()).isEqualTo(HEADERS);
        assertThat(stat.contentType()).isEqualTo("application/pdf");
        assertThat(stat.metadata()).isEqualTo(Map.of("owner", "ann"));
        assertThat(stat.modTime()).isEqualTo(T0);
    }

    @Test
    void contentHeadersTravelWithOnePutWithPartsAndWithTheMultipartCapability() {
        byte[] small = ContractSupport.randomBytes(1000, 1);
        byte[] large = ContractSupport.randomBytes(6 << 20, 2);
        store.put("small", new ByteArrayInputStream(small), REQUEST);
        store.put("large", new ByteArrayInputStream(large), REQUEST);
        String id = store.begin("mpu", REQUEST);
        var part = store.uploadPart("mpu", id, 1, new ByteArrayInputStream(small), small.length);
        store.complete("mpu", id, List.of(part));

        for (String key : List.of("small", "large", "mpu")) {
            assertKept(key);
        }
        assertThat(ContractSupport.read(store, "large", ByteRange.ALL)).isEqualTo(large);
    }

    @Test
    void s3ProxyHasNoTaggingSoTagsAreDeclaredNotKept() {
        // S3Proxy answers GetObjectTagging with 501 and ignores x-amz-tagging on writes: the probe at open finds it
        assertThat(store.features().keeps()).containsExactlyInAnyOrder(MetadataKind.CONTENT_TYPE,
                MetadataKind.CONTENT_HEADERS, MetadataKind.USER_METADATA);
        assertThat(store.refusals("k", REQUEST)).isEmpty();

        S3ObjectStore off = S3It.open(bucket + "/p", "tags", "false");
        try {
            assertThat(off.features().keeps()).doesNotContain(MetadataKind.TAGS);
        } finally {
            S3It.close(off);
        }
    }

    @Test
    void keysS3CannotHoldAreNamedBeforeWriting() {
        PutRequest request = REQUEST.withAttributes("image/png", ContentHeaders.EMPTY,
                Map.of("bad key", "1", "Owner", "a", "owner", "b"), Map.of());

        assertThat(store.refusals("k", request)).extracting(r -> r.name()).containsExactly("bad key", "owner");
    }

    @Test
    void replaceAttributesRewritesTypeHeadersMetadataAndTimeButKeepsTheBytesAndTheStoredDigest() throws Exception {
        byte[] bytes = ContractSupport.randomBytes(1000, 3);

        AttributeWriteContract.replaceKeepsBytesAndDigest(store, "doc", bytes, REQUEST, T0.plusSeconds(60));

        assertThat(raw.getObjectAsBytes(r -> r.bucket(bucket).key("p/doc")).asByteArray()).isEqualTo(bytes);
    }
}
