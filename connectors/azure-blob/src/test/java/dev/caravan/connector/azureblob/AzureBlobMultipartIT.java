package dev.caravan.connector.azureblob;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.keys;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlockListType;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.MultipartUpload.Part;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MultipartUpload} on staged blocks against Azurite: parts staged out of order, listed from the uncommitted
 * block list, committed in order with the request's content type, metadata and time; a resume in a new store
 * instance after a "crash"; abort; and an upload that replaces a blob only at the commit.
 */
class AzureBlobMultipartIT {
    private static final int PART = 100 * 1024;
    private static final Instant TIME = Instant.parse("2018-07-06T05:04:03.21Z");
    private static final PutRequest REQUEST = new PutRequest(-1, TIME, "application/x-tar",
            Map.of("Origin", "unit test", "level", "3"), -1);

    private BlobContainerClient container;
    private AzureBlobObjectStore store;

    @BeforeEach
    void open() {
        container = Azurite.newContainer("multipart");
        store = newStore();
    }

    private AzureBlobObjectStore newStore() {
        return Azurite.open(container.getBlobContainerName() + "/mpu", Azurite.options());
    }

    @AfterEach
    void close() {
        store.close();
        Azurite.deleteQuietly(container);
    }

    private static byte[] part(byte[] data, int number) {
        int from = (number - 1) * PART;
        return Arrays.copyOfRange(data, from, Math.min(data.length, from + PART));
    }

    private static Part upload(MultipartUpload mpu, String key, String id, byte[] data, int number) {
        byte[] bytes = part(data, number);
        return mpu.uploadPart(key, id, number, new ByteArrayInputStream(bytes), bytes.length);
    }

    @Test
    void stageListAndCommitInOrder() {
        MultipartUpload mpu = store.capability(MultipartUpload.class).orElseThrow();
        assertThat(mpu.verifiesParts()).isTrue();
        byte[] data = randomBytes(3 * PART - 77, 1);
        String id = mpu.begin("big/object", REQUEST);
        List<Part> done = new ArrayList<>();
        for (int n : new int[] {3, 1, 2}) {
            done.add(upload(mpu, "big/object", id, data, n));
        }
        assertThat(mpu.listParts("big/object", id)).extracting(Part::number, Part::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, (long) PART),
                        org.assertj.core.groups.Tuple.tuple(2, (long) PART),
                        org.assertj.core.groups.Tuple.tuple(3, (long) PART - 77));
        assertThat(store.stat("big/object")).as("invisible before the commit").isEmpty();
        assertThat(keys(store, "")).isEmpty();

        ObjectInfo info = mpu.complete("big/object", id, done);
        assertThat(info.size()).isEqualTo(data.length);
        assertSameBytes(read(store, "big/object", ByteRange.ALL), data, "big/object");
        ObjectInfo stat = store.stat("big/object").orElseThrow();
        assertThat(stat.contentType()).isEqualTo("application/x-tar");
        assertThat(stat.metadata()).isEqualTo(REQUEST.metadata());
        assertThat(stat.modTime()).isEqualTo(TIME);
        assertThat(container.getBlobClient("mpu/big/object").getBlockBlobClient()
                .listBlocks(BlockListType.COMMITTED).getCommittedBlocks()).hasSize(3);

        ObjectInfo again = mpu.complete("big/object", id, done);
        assertThat(again.size()).as("completing twice is harmless").isEqualTo(data.length);
        assertSameBytes(read(store, "big/object", ByteRange.ALL), data, "after a second complete");
    }

    @Test
    void aNewProcessResumesFromTheStagedBlocks() {
        byte[] data = randomBytes(4 * PART + 5, 2);
        MultipartUpload first = store.capability(MultipartUpload.class).orElseThrow();
        String id = first.begin("resumed", REQUEST);
        upload(first, "resumed", id, data, 1);
        upload(first, "resumed", id, data, 2);
        String other = first.begin("resumed", PutRequest.ofSize(-1));
        upload(first, "resumed", other, randomBytes(PART, 9), 1);
        store.close(); // the "crash": only the upload id survives, in the journal

        store = newStore();
        MultipartUpload second = store.capability(MultipartUpload.class).orElseThrow();
        List<Part> held = second.listParts("resumed", id);
        assertThat(held).extracting(Part::number).containsExactly(1, 2);
        assertThat(held).extracting(Part::size).containsOnly((long) PART);
        List<Part> all = new ArrayList<>(held);
        for (int n = 3; n <= 5; n++) {
            all.add(upload(second, "resumed", id, data, n));
        }
        second.complete("resumed", id, all);
        assertSameBytes(read(store, "resumed", ByteRange.ALL), data, "resumed");
        assertThat(store.stat("resumed").orElseThrow().metadata()).isEqualTo(REQUEST.metadata());
        assertThat(second.listParts("resumed", other)).as("the commit discarded the other upload's blocks").isEmpty();
    }

    @Test
    void aPartIsVerifiedAndRepeatable() {
        MultipartUpload mpu = store.capability(MultipartUpload.class).orElseThrow();
        byte[] data = randomBytes(PART, 3);
        String id = mpu.begin("p", PutRequest.ofSize(-1));
        mpu.uploadPart("p", id, 1, new ByteArrayInputStream(randomBytes(PART, 4)), PART);
        InputStream notMarkable = new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public boolean markSupported() {
                return false;
            }
        };
        Part p = mpu.uploadPart("p", id, 1, notMarkable, PART);
        assertThat(mpu.listParts("p", id)).hasSize(1);
        mpu.complete("p", id, List.of(p));
        assertSameBytes(read(store, "p", ByteRange.ALL), data, "the repeated part wins");
        assertFailsWith(ErrorKind.TRANSIENT, "a part shorter than announced", () -> mpu.uploadPart("p",
                mpu.begin("p", PutRequest.ofSize(-1)), 1, new ByteArrayInputStream(new byte[10]), 20));
    }

    @Test
    void anUploadReplacesABlobOnlyAtTheCommit() {
        byte[] old = randomBytes(1000, 5);
        store.put("replace", new ByteArrayInputStream(old), PutRequest.ofSize(old.length));
        MultipartUpload mpu = store.capability(MultipartUpload.class).orElseThrow();
        byte[] fresh = randomBytes(2 * PART, 6);
        String id = mpu.begin("replace", REQUEST);
        List<Part> parts = List.of(upload(mpu, "replace", id, fresh, 1), upload(mpu, "replace", id, fresh, 2));
        assertSameBytes(read(store, "replace", ByteRange.ALL), old, "old bytes while parts are staged");
        mpu.complete("replace", id, parts);
        assertSameBytes(read(store, "replace", ByteRange.ALL), fresh, "new bytes after the commit");
    }

    @Test
    void abortDiscardsStagedBlocksButNeverACommittedBlob() {
        MultipartUpload mpu = store.capability(MultipartUpload.class).orElseThrow();
        byte[] data = randomBytes(2 * PART, 7);
        String id = mpu.begin("aborted", REQUEST);
        upload(mpu, "aborted", id, data, 1);
        mpu.abort("aborted", id);
        assertThat(mpu.listParts("aborted", id)).isEmpty();
        assertThat(store.stat("aborted")).isEmpty();
        mpu.abort("aborted", id); // already gone: a no-op

        byte[] kept = randomBytes(500, 8);
        store.put("kept", new ByteArrayInputStream(kept), PutRequest.ofSize(kept.length));
        String id2 = mpu.begin("kept", REQUEST);
        upload(mpu, "kept", id2, data, 1);
        mpu.abort("kept", id2);
        assertSameBytes(read(store, "kept", ByteRange.ALL), kept, "a committed blob survives an abort");
        assertFailsWith(ErrorKind.NOT_FOUND, "completing with a part that was never staged",
                () -> mpu.complete("aborted", id, List.of(new Part(1, PART, "x"))));
        assertFailsWith(ErrorKind.FATAL, "completing with a gap",
                () -> mpu.complete("kept", id2, List.of(new Part(2, PART, "x"))));
    }
}
