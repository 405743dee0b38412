package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Chaos test of the promise "a killed run resumes with nothing lost and nothing copied twice", against S3Proxy and
 * Azurite: a mix of objects (small ones, empty ones, odd keys, and a few of several parts: parts and blocks lowered to
 * 5 MiB and 256 KiB, so a kill often lands mid-object) is copied by {@code caravan copy} in a child JVM, stopped at
 * seeded random times ({@link ChaosRuns}: SIGKILL, every third one SIGTERM), then run to its end. Checked: the
 * final run's exit 0; every object present with the source's bytes (SHA-256 read back) and modification time, and
 * nothing else (no temporary object); between runs, nothing done begun again and no upload with recorded parts
 * begun anew; the last run sent at most what was not recorded as sent; no unfinished multipart upload (S3) or
 * uncommitted block (Azure) left; {@code caravan verify} exit 0; {@code caravan status} shows the run COMPLETE and no
 * run unfinished.
 */
class CloudChaosIT {
    private static final int KILLS = Integer.getInteger("caravan.it.chaosKills", 4);
    private static final long MIB = 1 << 20;

    @RegisterExtension
    static final CloudScratch SCRATCH = new CloudScratch();

    @TempDir
    Path tmp;

    @Test
    @Timeout(240)
    void localToS3KilledAtRandomLosesNothingAndSendsNothingTwice() throws Exception {
        Map<String, byte[]> objects = objects();
        Path source = write(objects);
        String bucket = SCRATCH.bucketName("chaos-l2s");
        SCRATCH.s3().createBucket(r -> r.bucket(bucket));
        Path home = tmp.resolve("home");
        List<String> copy = new ArrayList<>(List.of("--home", home.toString(), "--no-progress", "copy",
                "local:" + source, "s3:" + bucket + "/data", "--transfers", "3"));
        copy.addAll(CloudServers.cliOptions("--target-option", s3Target()));

        runWithKills(home, copy, "localToS3", () -> s3PartsHeld(bucket), 5 * MIB);

        Map<String, byte[]> stored = CloudServers.s3Objects(SCRATCH.s3(), bucket, "data/");
        assertSameObjects(objects, stored);
        for (String key : objects.keySet()) {
            HeadObjectResponse head = SCRATCH.s3().headObject(r -> r.bucket(bucket).key("data/" + key));
            assertThat(head.metadata().get("caravan-mtime")).as("modification time of %s", key)
                    .isEqualTo(Long.toString(mtime(key).toEpochMilli()));
        }
        assertThat(SCRATCH.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("unfinished uploads")
                .isEmpty();
        List<String> verify = new ArrayList<>(List.of("--home", home.toString(), "verify", "local:" + source,
                "s3:" + bucket + "/data"));
        verify.addAll(CloudServers.cliOptions("--target-option", s3Target()));
        assertVerifiedAndComplete(home, verify);
    }

    @Test
    @Timeout(240)
    void s3ToAzureKilledAtRandomLosesNothingAndLeavesNoUncommittedBlock() throws Exception {
        Map<String, byte[]> objects = objects();
        Path source = write(objects);
        String bucket = SCRATCH.bucketName("chaos-s2a-src");
        SCRATCH.s3().createBucket(r -> r.bucket(bucket));
        LargeObjects.uploadWithCaravan(tmp.resolve("seed-home"), source, "s3:" + bucket + "/data");
        String container = SCRATCH.containerName("chaos-s2a");
        Path home = tmp.resolve("home");
        Map<String, String> azure = Map.of("connectionString", CloudServers.AZURE_CONNECTION_STRING,
                "createContainer", "true", "blockSize", "256k", "singleUploadThreshold", "256k",
                "uploadConcurrency", "2");
        List<String> copy = new ArrayList<>(List.of("--home", home.toString(), "--no-progress", "copy",
                "s3:" + bucket + "/data", "azblob:" + container + "/data", "--transfers", "3"));
        copy.addAll(CloudServers.cliOptions("--source-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT)));
        copy.addAll(CloudServers.cliOptions("--target-option", azure));

        BlobContainerClient target = SCRATCH.azure().getBlobContainerClient(container);
        runWithKills(home, copy, "s3ToAzure", () -> uncommittedBlocks(target), 256 * 1024);

        assertSameObjects(objects, CloudServers.azureObjects(SCRATCH.azure(), container, "data/"));
        BlobContainerClient c = SCRATCH.azure().getBlobContainerClient(container);
        for (BlobItem item : c.listBlobs(new ListBlobsOptions().setDetails(new BlobListDetails()
                .setRetrieveMetadata(true)), null)) {
            String key = item.getName().substring("data/".length());
            assertThat(Instant.parse(item.getMetadata().get("caravanmtime")).toEpochMilli())
                    .as("modification time of %s", key).isEqualTo(mtime(key).toEpochMilli());
        }
        assertThat(uncommittedBlobs(c)).as("blobs with uncommitted blocks only").isZero();
        List<String> verify = new ArrayList<>(List.of("--home", home.toString(), "verify", "s3:" + bucket + "/data",
                "azblob:" + container + "/data"));
        verify.addAll(CloudServers.cliOptions("--source-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT)));
        verify.addAll(CloudServers.cliOptions("--target-option", Map.of("connectionString",
                CloudServers.AZURE_CONNECTION_STRING)));
        assertVerifiedAndComplete(home, verify);
    }

    /** The kill loop, then the run to the end (exit 0), checked against the journal before it. */
    private void runWithKills(Path home, List<String> copy, String name, LongSupplier partsHeld,
            long resumableAbove) throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        ChaosRuns chaos = new ChaosRuns(home, logs, name);
        // slowed, so that the kills (after 1.5 to 6 s, the JVM's start included) land mid-transfer
        List<String> slowed = new ArrayList<>(copy);
        slowed.addAll(List.of("--bwlimit", "6M"));
        ChaosRuns.Snapshot before = chaos.killRepeatedly(slowed, KILLS, 1500, 6000, 3,
                partsHeld, resumableAbove);
        Process last = ChaosRuns.child(copy, logs.resolve("last.log"));
        assertThat(last.waitFor()).as(ChaosRuns.tail(logs.resolve("last.log"))).isZero();
        ChaosRuns.checkNothingRedone(before, chaos.snapshot());
        long sent = chaos.checkLastRunSentOnlyTheRest(before);
        System.out.printf("%s: the last run sent %d bytes%n", name, sent);
    }

    /** The parts of the unfinished multipart uploads of {@code bucket}; -1 while S3Proxy cannot answer. */
    private static long s3PartsHeld(String bucket) {
        try {
            long parts = 0;
            for (MultipartUpload u : SCRATCH.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads()) {
                parts += LargeObjects.partsHeld(SCRATCH.s3(), bucket, u);
            }
            return parts;
        } catch (S3Exception busy) {
            return -1; // S3Proxy answers 500 or 400 while an upload is begun or a part written: asked again
        }
    }

    /** The uncommitted blocks of the container's blobs (block uploads under way, or left behind). */
    private static long uncommittedBlocks(BlobContainerClient c) {
        long blocks = 0;
        for (BlobItem b : c.listBlobs(new ListBlobsOptions().setDetails(new BlobListDetails()
                .setRetrieveUncommittedBlobs(true)), null)) {
            try {
                blocks += c.getBlobClient(b.getName()).getBlockBlobClient().listBlocks(BlockListType.UNCOMMITTED)
                        .getUncommittedBlocks().size();
            } catch (BlobStorageException committedMeanwhile) {
                // asked again at the next poll
            }
        }
        return blocks;
    }

    /** Blobs of the container that have uncommitted blocks only (a block upload under way, or left behind). */
    private static long uncommittedBlobs(BlobContainerClient c) {
        List<BlobItem> all = c.listBlobs(new ListBlobsOptions().setDetails(new BlobListDetails()
                .setRetrieveUncommittedBlobs(true)), null).stream().toList();
        long committed = c.listBlobs().stream().count();
        return all.size() - committed;
    }

    private static void assertVerifiedAndComplete(Path home, List<String> verify) {
        CaravanCommand verified = CaravanCommand.run(verify);
        assertThat(verified.code()).as(verified.toString()).isZero();
        CaravanCommand status = CaravanCommand.run(List.of("--home", home.toString(), "status"));
        assertThat(status.code()).as(status.toString()).isZero();
        List<String> runs = status.out().lines().skip(1).filter(l -> !l.isBlank()).toList();
        assertThat(runs).as(status.out()).isNotEmpty().allMatch(l -> l.contains("COMPLETE"));
    }

    private static void assertSameObjects(Map<String, byte[]> expected, Map<String, byte[]> stored) {
        assertThat(stored.keySet()).as("keys on the target (no temporary object, none missing)")
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        Map<String, String> want = expected.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> LargeObjects.sha256Of(new ByteArrayInputStream(e.getValue())), (a, b) -> a, TreeMap::new));
        Map<String, String> got = stored.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> LargeObjects.sha256Of(new ByteArrayInputStream(e.getValue())), (a, b) -> a, TreeMap::new));
        assertThat(got).as("SHA-256 of every object").isEqualTo(want);
    }

    private static Map<String, String> s3Target() {
        return CloudServers.s3Options(CloudServers.S3_ENDPOINT, "partSize", "5M", "multipartThreshold", "5M",
                "uploadConcurrency", "2");
    }

    /**
     * The same mix for every run (a fixed seed): 40 small objects in folders, 3 empty ones, odd keys, and 3 of
     * several 5 MiB parts (7, 11 and 13 MiB and some).
     */
    static Map<String, byte[]> objects() {
        Random r = new Random(20261129);
        Map<String, byte[]> out = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            out.put("dir" + i % 4 + "/small-" + i + ".bin", bytes(r, 1 + r.nextInt(30_000)));
        }
        for (int i = 0; i < 3; i++) {
            out.put("empty-" + i + ".txt", new byte[0]);
        }
        for (String odd : List.of("sp ace.txt", "plus+sign.txt", "per%cent.txt", "\u00fcn\u00ef-\u540d\u524d.txt",
                "amp&eq=x.txt", "paren (1) [x].txt", "semi;colon,comma.txt")) {
            out.put("odd dir/" + odd, bytes(r, r.nextInt(3000)));
        }
        int[] mib = {7, 11, 13};
        for (int i = 0; i < mib.length; i++) {
            out.put("big/large-" + i + ".bin", bytes(r, (int) (mib[i] * MIB) + r.nextInt(100_000)));
        }
        return out;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** A modification time per key, in whole milliseconds, kept by the copy. */
    private static Instant mtime(String key) {
        return Instant.parse("2025-06-01T00:00:00Z").plusMillis(Math.floorMod(key.hashCode(), 86_400_000));
    }

    private Path write(Map<String, byte[]> objects) throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        for (Map.Entry<String, byte[]> e : objects.entrySet()) {
            Path f = source.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
            Files.setLastModifiedTime(f, FileTime.from(mtime(e.getKey())));
        }
        return source;
    }
}
