package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A local -> S3 migration of a few hundred objects through {@link FaultyProxy} in front of S3Proxy, which
 * drops about one connection in 40, answers {@code 503 SlowDown} with {@code Retry-After: 1} to one request in 67
 * and {@code 500 InternalError} to one in 50 (6% of all requests fail). The S3 client retries a failed request up to
 * three times ({@code sdkRetries=3}); failures of uploads beyond that reach the engine's retry with backoff. (With
 * {@code sdkRetries=0} the run fails: the engine does not retry a TRANSIENT failure while it lists the target for
 * the final verification; see the report of this test's author.) The migration must end COMPLETE (verified), and S3Proxy, read directly,
 * must hold exactly the source's objects, byte for byte: no duplicates, no temporary keys, no unfinished multipart
 * upload.
 */
class CloudFaultsIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(240)
    void migrationThroughFaultsCompletesWithEveryObjectIntact() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source"));
        Map<String, byte[]> expected = new TreeMap<>();
        SplittableRandom data = new SplittableRandom(42);
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[1 + data.nextInt(48 * 1024)];
            data.nextBytes(b);
            String key = "d" + (i % 7) + "/file-" + i + (i % 50 == 0 ? " with space+plus.bin" : ".bin");
            expected.put(key, b);
        }
        for (int i = 0; i < 2; i++) { // multipart with partSize=5M: three parts each
            byte[] b = new byte[12 * 1024 * 1024 + 17 * i];
            data.nextBytes(b);
            expected.put("large/part-" + i + ".bin", b);
        }
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            Path p = source.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }

        String bucket = CloudServers.freshName("faults");
        URI upstream = URI.create(CloudServers.S3_ENDPOINT);
        SplittableRandom dice = new SplittableRandom(20261126);
        try (S3Client s3 = CloudServers.s3();
             FaultyProxy proxy = new FaultyProxy(upstream.getHost(), upstream.getPort(), n -> {
                 int roll;
                 synchronized (dice) {
                     roll = dice.nextInt(1000);
                 }
                 return roll < 15 ? FaultyProxy.Fault.SLOW_DOWN
                         : roll < 35 ? FaultyProxy.Fault.INTERNAL_ERROR
                         : roll < 60 ? FaultyProxy.Fault.DROP : FaultyProxy.Fault.FORWARD;
             });
             MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")))) {
            s3.createBucket(r -> r.bucket(bucket));
            MigrationSpec spec = MigrationSpec.builder("local:" + source, "s3:" + bucket + "/migrated")
                    .targetOptions(CloudServers.s3Options(proxy.endpoint(), "sdkRetries", "3", "partSize", "5M",
                            "multipartThreshold", "5M", "connectTimeout", "2s", "readTimeout", "20s"))
                    .transfers(8).retries(12).retryBaseDelay(Duration.ofMillis(100)).build();

            RunResult run = engine.run(spec, ProgressListener.NONE);

            assertThat(run.outcome()).as("outcome; errors %s", run.errors()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(run.copied()).isEqualTo(expected.size());
            assertThat(run.failed()).isZero();
            assertThat(proxy.drops() + proxy.slowDowns() + proxy.internalErrors())
                    .as("faults injected (drops %d, 503 %d, 500 %d of %d requests)", proxy.drops(),
                            proxy.slowDowns(), proxy.internalErrors(), proxy.requests())
                    .isGreaterThan(10);
            assertThat(proxy.slowDowns()).isPositive();
            assertThat(proxy.internalErrors()).isPositive();
            assertThat(proxy.drops()).isPositive();

            // directly on S3Proxy, not through the proxy: exactly the source's keys, byte for byte
            assertThat(CloudServers.s3Keys(s3, bucket)).as("no duplicates, no temporary keys")
                    .doesNotHaveDuplicates().hasSize(expected.size());
            Map<String, byte[]> stored = CloudServers.s3Objects(s3, bucket, "migrated/");
            assertThat(stored.keySet()).containsExactlyElementsOf(expected.keySet());
            expected.forEach((k, v) -> assertThat(stored.get(k)).as(k).isEqualTo(v));
            assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("unfinished multipart uploads")
                    .isEmpty();

            // and the migration verifies clean afterwards
            assertThat(engine.verify(spec).clean()).isTrue();
            CloudServers.deleteBucket(s3, bucket);
        }
    }
}
