package dev.caravan.connector.azureblob;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.ServerSideCopy;
import dev.caravan.api.store.StoreFeatures;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerSideCopy} within one Azurite account: across containers and prefixes, by the synchronous copy and by
 * the polled one, with a generated SAS and with a configured SAS; and UNSUPPORTED (the engine's cue to stream) for
 * another endpoint or another kind of store.
 */
class AzureBlobCopyIT {
    private static final Instant TIME = Instant.parse("2017-01-02T03:04:05.006007008Z");
    private BlobContainerClient sourceContainer;
    private BlobContainerClient targetContainer;
    private AzureBlobObjectStore source;
    private AzureBlobObjectStore target;
    private byte[] data;
    private ObjectInfo original;

    @BeforeEach
    void open() {
        sourceContainer = Azurite.newContainer("copy-src");
        targetContainer = Azurite.newContainer("copy-dst");
        source = Azurite.open(sourceContainer.getBlobContainerName() + "/in", Azurite.options());
        target = Azurite.open(targetContainer.getBlobContainerName() + "/out", Azurite.options());
        data = randomBytes(300 * 1024, 1);
        source.put("dir/blob", new ByteArrayInputStream(data), new PutRequest(data.length, TIME, "video/mp4",
                Map.of("Camera", "x100", "owner", "me"), -1));
        original = source.stat("dir/blob").orElseThrow();
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
        Azurite.deleteQuietly(sourceContainer);
        Azurite.deleteQuietly(targetContainer);
    }

    private void assertFaithfulCopy(ObjectStore store, String key, ObjectInfo copied) {
        assertSameBytes(read(store, key, ByteRange.ALL), data, key);
        ObjectInfo stat = store.stat(key).orElseThrow();
        assertThat(copied.size()).isEqualTo(data.length);
        assertThat(stat.modTime()).as("time kept, so the next plan sees no change").isEqualTo(TIME);
        assertThat(stat.contentType()).isEqualTo("video/mp4");
        assertThat(stat.metadata()).isEqualTo(original.metadata());
        assertThat(stat.hash(HashType.SHA256)).isEqualTo(original.hash(HashType.SHA256)).isPresent();
        assertThat(stat.hash(HashType.MD5)).isEqualTo(original.hash(HashType.MD5)).isPresent();
    }

    @Test
    void copiesAcrossContainersWithinTheAccount() {
        ServerSideCopy copy = target.capability(ServerSideCopy.class).orElseThrow();
        ObjectInfo copied = copy.copy(source, original, "copied/blob");
        assertFaithfulCopy(target, "copied/blob", copied);
        assertThat(targetContainer.getBlobClient("out/copied/blob").exists()).isTrue();
        ObjectInfo again = copy.copy(source, original, "copied/blob");
        assertThat(again.size()).as("copying again overwrites").isEqualTo(data.length);
        ObjectInfo inPlace = source.capability(ServerSideCopy.class).orElseThrow().copy(source, original, "twin");
        assertFaithfulCopy(source, "twin", inPlace);
    }

    @Test
    void largeBlobsAreCopiedAndPolled() {
        ObjectInfo copied = new AzureBlobCopy(target, 0).copy(source, original, "polled");
        assertFaithfulCopy(target, "polled", copied);
    }

    @Test
    void aCopyWithOtherAttributesGetsThemAndKeepsTimeAndDigests() {
        PutRequest changed = new PutRequest(-1, null, "text/csv", Map.of("owner", "ann"), -1,
                new ContentHeaders("max-age=9", null, null, "de"), Map.of());
        ServerSideCopy copy = target.capability(ServerSideCopy.class).orElseThrow();
        ObjectInfo copied = copy.copyWithAttributes(source, original, "changed", changed);
        ObjectInfo polled = new AzureBlobCopy(target, 0).copyWithAttributes(source, original, "changed-polled",
                changed);

        for (String key : new String[] {"changed", "changed-polled"}) {
            assertSameBytes(read(target, key, ByteRange.ALL), data, key);
            ObjectInfo stat = target.stat(key).orElseThrow();
            assertThat(stat.contentType()).as(key).isEqualTo("text/csv");
            assertThat(stat.headers()).as(key).isEqualTo(new ContentHeaders("max-age=9", null, null, "de"));
            assertThat(stat.metadata()).as(key).isEqualTo(Map.of("owner", "ann"));
            assertThat(stat.modTime()).as(key).isEqualTo(TIME);
            assertThat(stat.hash(HashType.SHA256)).as(key).isEqualTo(original.hash(HashType.SHA256)).isPresent();
            assertThat(stat.hash(HashType.MD5)).as(key).isEqualTo(original.hash(HashType.MD5)).isPresent();
        }
        ObjectInfo stat = target.stat("changed").orElseThrow();
        assertThat(copied.etag()).as("the facts returned are the blob's after its headers were set")
                .isEqualTo(stat.etag());
        assertThat(copied.contentType()).isEqualTo(stat.contentType());
        assertThat(copied.headers()).isEqualTo(stat.headers());
        assertThat(copied.metadata()).isEqualTo(stat.metadata());
        assertThat(polled.contentType()).isEqualTo("text/csv");
        assertThat(source.stat("dir/blob").orElseThrow().contentType()).as("source untouched").isEqualTo("video/mp4");
    }

    @Test
    void copiesWithAConfiguredSas() {
        String sas = Azurite.admin().generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse("rwdlacu"), AccountSasService.parse("b"),
                AccountSasResourceType.parse("sco")));
        try (AzureBlobObjectStore sasTarget = Azurite.open(targetContainer.getBlobContainerName(),
                Map.of("endpoint", Azurite.ENDPOINT, "sasToken", sas))) {
            ObjectInfo copied = sasTarget.capability(ServerSideCopy.class).orElseThrow()
                    .copy(source, original, "by-sas");
            assertFaithfulCopy(sasTarget, "by-sas", copied);
            ObjectInfo polled = new AzureBlobCopy(sasTarget, 0).copy(source, original, "by-sas-polled");
            assertFaithfulCopy(sasTarget, "by-sas-polled", polled);
        }
    }

    @Test
    void anotherEndpointOrKindOfStoreIsUnsupported() {
        ServerSideCopy copy = target.capability(ServerSideCopy.class).orElseThrow();
        String otherHost = Azurite.ENDPOINT.replace("127.0.0.1", "localhost");
        try (AzureBlobObjectStore elsewhere = Azurite.open(sourceContainer.getBlobContainerName() + "/in",
                Map.of("account", Azurite.ACCOUNT, "accountKey", Azurite.KEY, "endpoint", otherHost))) {
            assertThat(assertFailsWith(ErrorKind.UNSUPPORTED, "copy from another endpoint",
                    () -> copy.copy(elsewhere, original, "x")).getMessage()).contains("one storage account");
        }
        assertFailsWith(ErrorKind.UNSUPPORTED, "copy from a non-Azure store",
                () -> copy.copy(new NotAzure(), original, "x"));
        assertThat(target.stat("x")).isEmpty();
    }

    @Test
    void aSourceChangedSinceItWasListedIsTransientAndNotCopied() {
        byte[] newer = randomBytes(1000, 2);
        source.put("dir/blob", new ByteArrayInputStream(newer), PutRequest.ofSize(newer.length));
        assertFailsWith(ErrorKind.TRANSIENT, "sync copy of a stale source",
                () -> target.capability(ServerSideCopy.class).orElseThrow().copy(source, original, "stale"));
        assertFailsWith(ErrorKind.TRANSIENT, "polled copy of a stale source",
                () -> new AzureBlobCopy(target, 0).copy(source, original, "stale-polled"));
        assertThat(target.stat("stale")).isEmpty();
        assertThat(target.stat("stale-polled")).isEmpty();
        ObjectInfo fresh = source.stat("dir/blob").orElseThrow();
        target.capability(ServerSideCopy.class).orElseThrow().copy(source, fresh, "fresh");
        assertSameBytes(read(target, "fresh", ByteRange.ALL), newer, "copy of the fresh source");
    }

    @Test
    void aMissingSourceIsNotFound() {
        ObjectInfo ghost = ObjectInfo.of("no/such/blob", 10, TIME);
        assertFailsWith(ErrorKind.NOT_FOUND, "copy of a missing blob",
                () -> target.capability(ServerSideCopy.class).orElseThrow().copy(source, ghost, "ghost"));
        assertThat(target.stat("ghost")).isEmpty();
    }

    /** Any store that is not an Azure Blob one. */
    private static final class NotAzure implements ObjectStore {
        @Override
        public String uri() {
            return "local:/elsewhere";
        }

        @Override
        public StoreFeatures features() {
            return new StoreFeatures(null, null, false, false, true, false);
        }

        @Override
        public Stream<ObjectInfo> list(String prefix) {
            return Stream.empty();
        }

        @Override
        public Optional<ObjectInfo> stat(String key) {
            return Optional.empty();
        }

        @Override
        public InputStream open(String key, ByteRange range) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ObjectInfo put(String key, InputStream data, PutRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String key) {
        }
    }
}
