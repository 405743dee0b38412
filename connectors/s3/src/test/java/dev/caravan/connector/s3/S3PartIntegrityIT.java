package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Over plain HTTP the parts of a multipart upload carry no Content-MD5: the SDK signs each part's SHA-256
 * ({@code x-amz-content-sha256}), which the server checks. A part damaged on the way (one byte flipped by a
 * forwarding {@link FaultyProxy}) is refused by S3Proxy (XAmzContentSHA256Mismatch), retried, and the object
 * arrives byte for byte.
 */
class S3PartIntegrityIT {
    private static final int MIB = 1 << 20;

    @TempDir
    Path home;
    @TempDir
    Path data;

    private final String bucket = S3It.newBucket("part-integrity");
    private S3Client raw;

    @BeforeEach
    void setUp() {
        raw = S3It.rawClient();
    }

    @AfterEach
    void tearDown() {
        S3It.deleteBucket(raw, bucket);
        raw.close();
    }

    @Test
    void aPartDamagedOnTheWayIsRefusedBySignedSha256AndSentAgain() throws Exception {
        byte[] bytes = randomBytes(12 * MIB + 5, 31);
        Files.write(data.resolve("big.bin"), bytes);
        URI upstream = URI.create(S3It.endpoint());
        try (FaultyProxy wire = new FaultyProxy(upstream.getHost(), upstream.getPort(), n -> FaultyProxy.Fault.FORWARD)
                        .corruptFirst(line -> line.startsWith("PUT ") && line.contains("partNumber=2"));
                MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                        .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")))) {
            MigrationSpec spec = MigrationSpec.builder("local:" + data, "s3:" + bucket)
                    .targetOptions(S3It.options("endpoint", wire.endpoint(), "partSize", "5M", "multipartThreshold",
                            "8M"))
                    .build();
            RunResult r = engine.run(spec, ProgressListener.NONE);

            assertThat(r.outcome()).as(r.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(wire.corrupted()).as("one part was damaged on the way").isEqualTo(1);
            List<List<String>> parts = wire.requestHeads().stream()
                    .filter(h -> h.get(0).startsWith("PUT ") && h.get(0).contains("partNumber=")).toList();
            assertThat(parts).as("the damaged part was sent again (the retry of the object starts a new upload)")
                    .filteredOn(h -> h.get(0).contains("partNumber=2&")).hasSizeGreaterThanOrEqualTo(2);
            for (List<String> head : parts) {
                assertThat(head).as("no Content-MD5 over plain HTTP: %s", head.get(0))
                        .noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("content-md5:"));
                assertThat(head).as("the part's SHA-256 is signed: %s", head.get(0))
                        .anyMatch(h -> h.toLowerCase(Locale.ROOT).matches("x-amz-content-sha256: *[0-9a-f]{64}"));
            }
        }
        assertThat(raw.getObjectAsBytes(b -> b.bucket(bucket).key("big.bin")).asByteArray())
                .as("the object S3Proxy holds").isEqualTo(bytes);
    }
}
