package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobProperties;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataCheck.Refusal;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.testkit.contract.AttributeWriteContract;
import dev.caravan.api.store.ServerSideCopy;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Content headers (BlobHttpHeaders) and blob index tags on every write path against Azurite 3.37, which has Set/Get
 * Blob Tags and {@code x-ms-tags} on uploads: one Put Blob, staged blocks, the MultipartUpload capability, and a
 * server-side copy (Copy Blob takes the properties but not the tags, so the connector passes them).
 */
class AzureAttributesIT {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456789Z");
    private static final ContentHeaders HEADERS = new ContentHeaders("max-age=60",
            "attachment; filename=\"a.pdf\"", "gzip", "de-CH");
    private static final PutRequest REQUEST = new PutRequest(-1, T0, "application/pdf",
            Map.of("owner", "ann", "Mixed-Case", "x"), -1, HEADERS, Map.of("team", "red", "cost center", "4 2"));
    private BlobContainerClient container;
    private AzureBlobObjectStore store;

    @BeforeEach
    void open() {
        container = Azurite.newContainer("attrs");
        store = Azurite.open(container.getBlobContainerName() + "/p", Azurite.options("singleUploadThreshold", "1M",
                "blockSize", "1M"));
    }

    @AfterEach
    void drop() {
        store.close();
        Azurite.deleteQuietly(container);
    }

    private void assertKept(String key) {
        BlobProperties p = container.getBlobClient("p/" + key).getProperties();
        assertThat(p.getContentType()).isEqualTo("application/pdf");
        assertThat(p.getCacheControl()).isEqualTo("max-age=60");
        assertThat(p.getContentDisposition()).isEqualTo("attachment; filename=\"a.pdf\"");
        assertThat(p.getContentEncoding()).isEqualTo("gzip");
        assertThat(p.getContentLanguage()).isEqualTo("de-CH");
        assertThat(container.getBlobClient("p/" + key).getTags()).isEqualTo(REQUEST.tags());
        ObjectInfo stat = store.stat(key).orElseThrow();
        assertThat(stat.headers()).as(key).isEqualTo(HEADERS);
        assertThat(stat.tags()).as(key).isEqualTo(REQUEST.tags());
        assertThat(stat.metadata()).as(key).isEqualTo(REQUEST.metadata());
        assertThat(stat.modTime()).as(key).isEqualTo(T0);
    }

    @Test
    void headersAndTagsTravelWithEveryWritePathAndAServerSideCopy() {
        byte[] small = new byte[1000];
        byte[] large = new byte[(3 << 20) + 5];
        store.put("small", new ByteArrayInputStream(small), REQUEST);
        store.put("large", new ByteArrayInputStream(large), REQUEST);
        MultipartUpload mpu = store.capability(MultipartUpload.class).orElseThrow();
        String id = mpu.begin("mpu", REQUEST);
        MultipartUpload.Part part = mpu.uploadPart("mpu", id, 1, new ByteArrayInputStream(small), small.length);
        mpu.complete("mpu", id, List.of(part));
        ObjectInfo source = store.stat("small").orElseThrow();
        store.capability(ServerSideCopy.class).orElseThrow().copy(store, source, "copied");

        for (String key : List.of("small", "large", "mpu", "copied")) {
            assertKept(key);
        }
        assertThat(store.features().keeps()).containsExactlyInAnyOrder(MetadataKind.values());
    }

    @Test
    void untaggedBlobsNeedNoTagRequestAndTagsOffDeclaresThemNotKept() {
        store.put("plain", new ByteArrayInputStream(new byte[3]), REQUEST.withAttributes(null, ContentHeaders.EMPTY,
                Map.of(), Map.of()));
        assertThat(store.stat("plain").orElseThrow().tags()).isEmpty();

        AzureBlobObjectStore off = Azurite.open(container.getBlobContainerName() + "/p", Azurite.options("tags",
                "false"));
        try {
            assertThat(off.features().keeps()).doesNotContain(MetadataKind.TAGS);
            off.put("untagged", new ByteArrayInputStream(new byte[3]), REQUEST);
            assertThat(container.getBlobClient("p/untagged").getTags()).isEmpty();
            assertThat(off.stat("untagged").orElseThrow().headers()).isEqualTo(HEADERS);
        } finally {
            off.close();
        }
    }

    @Test
    void tagsAzureCannotHoldAreNamedBeforeWriting() {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            tags.put("t" + (char) ('a' + i), "v");
        }
        tags.put("caf\u00e9", "v");

        List<Refusal> refused = store.refusals("k", REQUEST.withAttributes("a/b", new ContentHeaders(null,
                "attachment; filename=\"\u00e9.pdf\"", null, null), Map.of(), tags));

        assertThat(refused).extracting(r -> r.kind() + ":" + r.name()).containsExactlyInAnyOrder("TAGS:caf\u00e9",
                "TAGS:tk", "CONTENT_HEADERS:contentDisposition");
    }

    @Test
    void listingsCarryTagsAndReplaceTagsSetsThemLeavingTheBlobAsItWas() {
        store.put("plain", new ByteArrayInputStream(new byte[3]), REQUEST.withAttributes(REQUEST.contentType(),
                HEADERS, REQUEST.metadata(), Map.of()));
        store.put("tagged", new ByteArrayInputStream(new byte[3]), REQUEST);

        assertThat(store.listsTags()).isTrue();
        try (Stream<ObjectInfo> listed = store.list("")) {
            assertThat(listed).extracting(ObjectInfo::key, ObjectInfo::tags).containsExactly(
                    tuple("plain", Map.of()), tuple("tagged", REQUEST.tags()));
        }

        AzureBlobObjectStore off = Azurite.open(container.getBlobContainerName() + "/p", Azurite.options("tags",
                "false"));
        try (Stream<ObjectInfo> listed = off.list("")) {
            assertThat(off.listsTags()).isFalse();
            assertThat(listed).extracting(ObjectInfo::tags).containsOnly(Map.of()).hasSize(2);
        } finally {
            off.close();
        }

        BlobProperties before = container.getBlobClient("p/tagged").getProperties();
        Map<String, String> retagged = Map.of("team", "blue-" + UUID.randomUUID());
        store.replaceTags("tagged", retagged);
        assertThat(container.getBlobClient("p/tagged").getTags()).isEqualTo(retagged);
        BlobProperties after = container.getBlobClient("p/tagged").getProperties();
        assertThat(after.getETag()).isEqualTo(before.getETag());
        assertThat(after.getMetadata()).isEqualTo(before.getMetadata());
        store.replaceTags("tagged", Map.of());
        assertThat(container.getBlobClient("p/tagged").getTags()).isEmpty();
    }

    @Test
    void replaceAttributesRewritesTypeHeadersMetadataAndTimeButKeepsTheBytesAndDigests() throws Exception {
        byte[] bytes = new byte[1000];
        new java.util.Random(7).nextBytes(bytes);

        AttributeWriteContract.Replaced replaced = AttributeWriteContract.replaceKeepsBytesAndDigest(store, "doc",
                bytes, REQUEST, T0.plusSeconds(60));

        ObjectInfo stat = replaced.after();
        assertThat(stat.hashes()).as("Content-MD5 kept").isEqualTo(replaced.before().hashes())
                .containsKey(dev.caravan.api.store.HashType.MD5);
        assertThat(stat.tags()).isEqualTo(REQUEST.tags());
        assertThat(container.getBlobClient("p/doc").downloadContent().toBytes()).isEqualTo(bytes);
    }
}
