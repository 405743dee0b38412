package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.keys;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.ServerSideCopy;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The options {@code serverSideEncryption}, {@code acl} and {@code requesterPays}, looked at on the wire (a
 * forwarding {@link FaultyProxy} in front of S3Proxy records every request's head): every request that creates an
 * object carries the encryption and the canned ACL (a single PUT, sent directly; the start of a multipart upload; a
 * server-side copy), no part does (S3 refuses them there), and with {@code requesterPays} every request says so.
 * S3Proxy takes the headers (of the canned ACLs, only private and public-read) and serves the objects back byte for byte.
 */
class S3ObjectProtectionIT {
    private final RecordedBucket wire = RecordedBucket.create("protection");
    private final String bucket = wire.name();
    private final FaultyProxy proxy = wire.proxy();

    @AfterEach
    void tearDown() throws Exception {
        wire.close();
    }

    @Test
    void everyWriteOfAnObjectAndTheWriteProbeCarryTheEncryptionAndTheAclAndNoPartDoes() {
        byte[] small = randomBytes(10_000, 1);
        byte[] big = randomBytes(12 << 20, 2);
        try (S3ObjectStore store = S3It.open(bucket + "/p", "endpoint", proxy.endpoint(), "serverSideEncryption",
                "AES256", "acl", "private", "multipartThreshold", "5M", "partSize", "5M")) {
            ObjectInfo smallInfo = store.put("small.txt", new ByteArrayInputStream(small),
                    PutRequest.ofSize(small.length));
            store.put("big.bin", new ByteArrayInputStream(big), PutRequest.ofSize(big.length));
            store.capability(ServerSideCopy.class).orElseThrow().copy(store, store.stat("small.txt").orElseThrow(),
                    "copy.txt");
            store.probeWrite(".caravan-probe-1"); // proves what a write with these headers needs

            for (String write : List.of("PUT /" + bucket + "/p/small.txt ", "POST /" + bucket + "/p/big.bin?uploads",
                    "PUT /" + bucket + "/p/copy.txt ", "POST /" + bucket + "/p/.caravan-probe-1?uploads")) {
                assertThat(proxy.headersOf(write)).as(write).isNotEmpty().allSatisfy(head -> assertThat(head)
                        .contains("x-amz-server-side-encryption: aes256", "x-amz-acl: private"));
            }
            List<List<String>> parts = proxy.headersOf("PUT /" + bucket + "/p/big.bin?partNumber=");
            assertThat(parts).as("the parts of big.bin").hasSize(3).allSatisfy(head -> assertThat(head)
                    .noneMatch(h -> h.startsWith("x-amz-server-side-encryption") || h.startsWith("x-amz-acl")));
            assertThat(smallInfo.size()).isEqualTo(small.length);
            assertSameBytes(read(store, "small.txt", ByteRange.ALL), small, "small.txt");
            assertSameBytes(read(store, "copy.txt", ByteRange.ALL), small, "copy.txt");
            assertSameBytes(read(store, "big.bin", ByteRange.ALL), big, "big.bin");
        }
    }

    @Test
    void aRequesterPaysStoreSaysSoInEveryRequest() {
        byte[] data = randomBytes(3_000, 3);
        try (S3ObjectStore store = S3It.open(bucket + "/rp", "endpoint", proxy.endpoint(), "requesterPays",
                "true")) {
            store.put("a.bin", new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
            assertSameBytes(read(store, "a.bin", ByteRange.ALL), data, "a.bin");
            assertThat(keys(store, "")).containsExactly("a.bin");
        }
        assertThat(proxy.headersOf("")).as("every request").hasSizeGreaterThan(3)
                .allSatisfy(head -> assertThat(head).contains("x-amz-request-payer: requester"));
    }
}
