package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Uploads Caravan recorded that the next run does not go on with, against S3Proxy; each first run is cut off
 * mid-object by a hard {@code --max-duration} (as a kill would stop it: the run unfinished, the upload open and
 * recorded), 24 MiB in parts of 5M at 4 MiB/s for 3 s.
 *
 * <p>A copy rerun with {@code --exclude} of the file whose upload is open is another migration (filters are part of the
 * migration id), which does not copy that file: its plan and its run name the upload with the command that aborts it,
 * and leave it open (the first migration may still go on from it); {@code caravan cleanup LOCATION --migration ID}
 * then aborts it. Before, nothing named it, and only {@code cleanup --older-than} aborted it, once old enough.
 *
 * <p>A sync whose backup copy into {@code s3:KEPT-A/old} was cut off, rerun with {@code --backup-dir s3:KEPT-B/old}:
 * the upload open in KEPT-A is aborted there and named in the run's warnings. Before, it was matched by its key alone
 * and taken for the one the task goes on with: the rerun failed completing it in KEPT-B (NoSuchKey), and it stayed
 * open in KEPT-A.
 *
 * <p>And the excluded file's staged blocks on Azurite, which {@code cleanup --migration} discards.
 */
class OrphanedUploadsIT {
    private static final long SIZE = 24 * LargeObjects.MIB;
    /** The engine's memory for parts in flight (MigrationEngine reads it when it is made). */
    private static final String BUFFER_MEMORY = "caravan.multipart.bufferMemory";
    private static final Pattern CLEANUP = Pattern.compile("caravan cleanup (\\S+) --migration ([0-9a-f]+)");

    @TempDir
    Path tmp;

    private static List<String> cutOff(List<String> command) {
        List<String> cut = new ArrayList<>(command);
        cut.addAll(List.of("--bwlimit", "4M", "--max-duration", "3s"));
        return cut;
    }

    private static List<String> with(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    @Timeout(180)
    void anUploadOfAFileANewExcludeDropsIsNamedAndCleanupOfItsMigrationAbortsIt() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        LargeObjects.write(source.resolve("whole.bin"), SIZE);
        Path home = tmp.resolve("home");
        String bucket = CloudServers.freshName("orphan");
        Map<String, String> s3 = CloudServers.s3Options(CloudServers.S3_ENDPOINT, "partSize", "5M",
                "multipartThreshold", "5M");
        try (S3Client client = CloudServers.s3()) {
            client.createBucket(r -> r.bucket(bucket));
            List<String> copy = new ArrayList<>(List.of("--home", home.toString(), "--no-progress", "copy",
                    "local:" + source, "s3:" + bucket + "/sup"));
            copy.addAll(CloudServers.cliOptions("--target-option", s3));
            CaravanCommand first = CaravanCommand.run(cutOff(copy));
            assertThat(first.code()).as(first.toString()).isEqualTo(3);
            List<MultipartUpload> open = client.listMultipartUploads(r -> r.bucket(bucket)).uploads();
            assertThat(open).as("the upload left open").extracting(MultipartUpload::key)
                    .containsExactly("sup/whole.bin");

            List<String> excluding = with(copy, "--exclude", "whole.bin");
            CaravanCommand planned = CaravanCommand.run(with(excluding, "--dry-run"));
            CaravanCommand rerun = CaravanCommand.run(excluding);

            assertThat(planned.code()).as(planned.toString()).isZero();
            assertThat(planned.out()).contains("WARN  other-uploads: 1 unfinished upload recorded by migration",
                    "on s3:" + bucket + "/sup (whole.bin)", "--migration");
            assertThat(rerun.code()).as(rerun.toString()).isZero();
            Matcher named = CLEANUP.matcher(rerun.out());
            assertThat(named.find()).as("the run names the upload and the cleanup: " + rerun).isTrue();
            assertThat(named.group(1)).isEqualTo("s3:" + bucket + "/sup");
            assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads())
                    .as("left to its migration by the other one's run").extracting(MultipartUpload::uploadId)
                    .containsExactly(open.get(0).uploadId());

            client.createMultipartUpload(r -> r.bucket(bucket).key("sup/another-tool.bin"));
            List<String> cleanup = new ArrayList<>(List.of("--home", home.toString(), "cleanup", named.group(1),
                    "--migration", named.group(2)));
            cleanup.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(
                    CloudServers.S3_ENDPOINT)));
            CaravanCommand cleaned = CaravanCommand.run(cleanup);

            assertThat(cleaned.code()).as(cleaned.toString()).isZero();
            assertThat(cleaned.out()).contains("aborted 1 unfinished upload of migration " + named.group(2));
            assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads())
                    .as("only another tool's upload is left").extracting(MultipartUpload::key)
                    .containsExactly("sup/another-tool.bin");
            CloudServers.deleteBucket(client, bucket);
        }
    }

    @Test
    @Timeout(180)
    void theUploadOfABackupDirMovedToAnotherBucketIsAbortedThere() throws Exception {
        Path old = Files.createDirectories(tmp.resolve("old"));
        String oldSha = LargeObjects.write(old.resolve("big.bin"), SIZE);
        Path source = Files.createDirectories(tmp.resolve("source"));
        Files.writeString(source.resolve("big.bin"), "the replacement");
        String bucket = CloudServers.freshName("moved");
        String keptA = CloudServers.freshName("moved-a");
        String keptB = CloudServers.freshName("moved-b");
        try (S3Client s3 = CloudServers.s3()) {
            for (String b : List.of(bucket, keptA, keptB)) {
                s3.createBucket(r -> r.bucket(b));
            }
            LargeObjects.uploadWithCaravan(tmp.resolve("seed-home"), old, "s3:" + bucket + "/data");
            List<String> sync = new ArrayList<>(List.of("--home", tmp.resolve("home").toString(), "--no-progress",
                    "sync", "local:" + source, "s3:" + bucket + "/data"));
            sync.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT)));
            // another spelling of the endpoint: the old version is streamed, in parts of 5M
            sync.addAll(CloudServers.cliOptions("--backup-option", CloudServers.s3Options(
                    CloudServers.S3_ENDPOINT.replace("127.0.0.1", "localhost"), "partSize", "5M",
                    "multipartThreshold", "5M")));
            CaravanCommand first = CaravanCommand.run(cutOff(with(sync, "--backup-dir", "s3:" + keptA + "/old")));
            assertThat(first.code()).as(first.toString()).isEqualTo(3);
            assertThat(s3.listMultipartUploads(r -> r.bucket(keptA)).uploads()).as("the backup copy's upload")
                    .extracting(MultipartUpload::key).containsExactly("old/big.bin");

            CaravanCommand moved = CaravanCommand.run(with(sync, "--backup-dir", "s3:" + keptB + "/old"));

            assertThat(moved.code()).as(moved.toString()).isZero();
            assertThat(moved.out()).contains("big.bin: aborted the unfinished upload", "on s3:" + keptA + "/old",
                    "the task now writes to s3:" + keptB + "/old");
            assertThat(s3.listMultipartUploads(r -> r.bucket(keptA)).uploads()).as("left in the old backup dir")
                    .isEmpty();
            assertThat(s3.listMultipartUploads(r -> r.bucket(keptB)).uploads()).isEmpty();
            try (InputStream in = s3.getObject(r -> r.bucket(keptB).key("old/big.bin"))) {
                assertThat(LargeObjects.sha256Of(in)).as("kept in the new backup dir").isEqualTo(oldSha);
            }
        } finally {
            try (S3Client s3 = CloudServers.s3()) {
                for (String b : List.of(bucket, keptA, keptB)) {
                    CloudServers.deleteBucket(s3, b);
                }
            }
        }
    }

    /**
     * The same on Azurite, in blocks of 1M: the blocks staged for a file the rerun excludes stay until {@code caravan
     * cleanup azblob:CONTAINER/sup --migration ID} discards them (Azure lists no unfinished uploads: they are found by
     * the journal's record, blob name and store).
     */
    @Test
    @Timeout(180)
    void azureBlocksOfAFileANewExcludeDropsAreDiscardedByCleanupOfTheirMigration() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        LargeObjects.write(source.resolve("a.bin"), SIZE);
        Path home = tmp.resolve("home");
        String container = CloudServers.freshName("orphan");
        BlobContainerClient blobs = CloudServers.azure().getBlobContainerClient(container);
        List<String> copy = new ArrayList<>(List.of("--home", home.toString(), "--no-progress", "copy",
                "local:" + source, "azblob:" + container + "/sup"));
        copy.addAll(CloudServers.cliOptions("--target-option", Map.of("connectionString",
                CloudServers.AZURE_CONNECTION_STRING, "createContainer", "true", "blockSize", "1M",
                "singleUploadThreshold", "1M")));
        try {
            // two parts in memory at a time, so that some blocks are staged before the cut (see SupersededUploadsIT)
            System.setProperty(BUFFER_MEMORY, Integer.toString(2 << 20));
            CaravanCommand first;
            try {
                first = CaravanCommand.run(cutOff(copy));
            } finally {
                System.clearProperty(BUFFER_MEMORY);
            }
            assertThat(first.code()).as(first.toString()).isEqualTo(3);
            assertThat(CloudServers.blobsWithUncommittedBlocksOnly(blobs)).as("blocks left, as after a kill")
                    .containsExactly("sup/a.bin");

            CaravanCommand rerun = CaravanCommand.run(with(copy, "--exclude", "a.bin"));

            assertThat(rerun.code()).as(rerun.toString()).isZero();
            Matcher named = CLEANUP.matcher(rerun.out());
            assertThat(named.find()).as("the run names the blocks and the cleanup: " + rerun).isTrue();
            assertThat(CloudServers.blobsWithUncommittedBlocksOnly(blobs)).as("left to their migration").hasSize(1);
            List<String> cleanup = new ArrayList<>(List.of("--home", home.toString(), "cleanup", named.group(1),
                    "--migration", named.group(2)));
            cleanup.addAll(CloudServers.cliOptions("--option", Map.of("connectionString",
                    CloudServers.AZURE_CONNECTION_STRING)));
            CaravanCommand cleaned = CaravanCommand.run(cleanup);

            assertThat(cleaned.code()).as(cleaned.toString()).isZero();
            assertThat(cleaned.out()).contains("aborted 1 unfinished upload of migration " + named.group(2));
            assertThat(CloudServers.blobsWithUncommittedBlocksOnly(blobs)).as("blobs holding uncommitted blocks only")
                    .isEmpty();
        } finally {
            blobs.deleteIfExists();
        }
    }
}
