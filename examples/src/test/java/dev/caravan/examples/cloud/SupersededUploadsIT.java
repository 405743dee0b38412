package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Uploads of objects that changed or went away on the source after an interrupted run. Against S3Proxy: {@code caravan
 * copy local:SRC s3:BUCKET/sup} of two 24 MiB files with {@code partSize} and {@code multipartThreshold} of 5M, stopped
 * mid-object by a hard {@code --max-duration} (as a kill would stop it: the run unfinished, both uploads open and
 * recorded). Then one file is edited and the other deleted on the source, and the same command runs again without
 * limits: it must exit 0 with the edited file copied and leave no multipart upload in the bucket. Before, the two
 * uploads of the interrupted run stayed open for ever (their tasks superseded, skipped with the upload ids in their
 * checkpoints), and {@code caravan cleanup} kept them as resumable. The same against Azurite, in blocks of 1M, for a
 * file deleted on the source: no blob is left holding uncommitted blocks only (before, its blocks stayed for Azure's
 * 7 days). And against S3Proxy, a file whose rerun goes in a single PUT ({@code partSize} and
 * {@code multipartThreshold} raised above its size): the upload the interrupted run recorded is aborted, not left
 * open once the task is done (before, completing the task cleared its checkpoint and nothing found the upload again).
 */
class SupersededUploadsIT {
    private static final int SIZE = 24 << 20;
    /** The engine's memory for parts in flight (MigrationEngine reads it when it is made). */
    private static final String BUFFER_MEMORY = "caravan.multipart.bufferMemory";

    @TempDir
    Path tmp;

    private final Random random = new Random();

    @Test
    @Timeout(180)
    void s3UploadsOfObjectsChangedOrDeletedSinceAnInterruptedRunAreAbortedByTheRerun() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        write(source.resolve("edited.bin"));
        write(source.resolve("deleted.bin"));
        Path home = tmp.resolve("home");
        String bucket = CloudServers.freshName("superseded");
        try (S3Client s3 = CloudServers.s3()) {
            s3.createBucket(r -> r.bucket(bucket));
            List<String> copy = new ArrayList<>(List.of("--home", home.toString(), "--no-progress", "copy",
                    "local:" + source, "s3:" + bucket + "/sup", "--transfers", "2"));
            copy.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT,
                    "partSize", "5M", "multipartThreshold", "5M")));
            List<String> cut = new ArrayList<>(copy);
            cut.addAll(List.of("--bwlimit", "4M", "--max-duration", "3s"));

            CaravanCommand first = CaravanCommand.run(cut);

            assertThat(first.code()).as(first.toString()).isEqualTo(3);
            List<MultipartUpload> interrupted = s3.listMultipartUploads(r -> r.bucket(bucket)).uploads();
            assertThat(interrupted).as("both uploads left open, as after a kill").extracting(MultipartUpload::key)
                    .containsExactlyInAnyOrder("sup/edited.bin", "sup/deleted.bin");

            String edited = write(source.resolve("edited.bin"));
            Files.setLastModifiedTime(source.resolve("edited.bin"),
                    FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            Files.delete(source.resolve("deleted.bin"));
            CaravanCommand rerun = CaravanCommand.run(copy);

            assertThat(rerun.code()).as(rerun.toString()).isZero();
            try (InputStream in = s3.getObject(r -> r.bucket(bucket).key("sup/edited.bin"))) {
                assertThat(sha256(in.readAllBytes())).as("the edited file on S3Proxy").isEqualTo(edited);
            }
            assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("unfinished uploads").isEmpty();

            List<String> cleanup = new ArrayList<>(List.of("--home", home.toString(), "cleanup", "s3:" + bucket,
                    "--older-than", "0s"));
            cleanup.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT)));
            CaravanCommand cleaned = CaravanCommand.run(cleanup);
            assertThat(cleaned.code()).as(cleaned.toString()).isZero();
            assertThat(cleaned.out()).contains("aborted 0 unfinished uploads; kept 0 that unfinished runs go on from");
            CloudServers.deleteBucket(s3, bucket);
        }
    }

    @Test
    @Timeout(180)
    void s3UploadOfAnObjectTheRerunSendsInASinglePutIsAborted() throws Exception {
        // the same migration: options are not part of its id
        cutOffThenRerun("single-put", "sup/whole.bin", List.of("partSize", "32M", "multipartThreshold", "32M"),
                List.of());
    }

    /**
     * The same file, rerun with a key map (another migration of the same source and target, whose plan takes over the
     * interrupted task): the upload recorded under the old key is aborted there, and the file goes to its new key.
     */
    @Test
    @Timeout(180)
    void s3UploadRecordedUnderAKeyTheRerunNoLongerWritesIsAborted() throws Exception {
        CaravanCommand rerun = cutOffThenRerun("key-map", "sup/whole\uff0ebin", List.of("partSize", "5M",
                "multipartThreshold", "5M"), List.of("--key-map", "replace:.=\uff0e"));

        assertThat(rerun.out()).contains("whole.bin: aborted the unfinished upload",
                "its task now writes whole\uff0ebin");
    }

    /**
     * {@code caravan copy local:SOURCE s3:BUCKET/sup} of a new {@code whole.bin} in parts of 5M (a new bucket), cut
     * off mid-object by a hard {@code --max-duration}, its upload left open; then the same command with the S3
     * {@code targetOptions} (name, value, ...) and the arguments {@code more}. Checks that the rerun exits 0, the file
     * is at {@code key} and no upload is left; returns the rerun.
     */
    private CaravanCommand cutOffThenRerun(String bucketPrefix, String key, List<String> targetOptions,
            List<String> more) throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        String data = write(source.resolve("whole.bin"));
        String bucket = CloudServers.freshName(bucketPrefix);
        try (S3Client s3 = CloudServers.s3()) {
            s3.createBucket(r -> r.bucket(bucket));
            List<String> copy = new ArrayList<>(List.of("--home", tmp.resolve("home").toString(), "--no-progress",
                    "copy", "local:" + source, "s3:" + bucket + "/sup"));
            List<String> cut = new ArrayList<>(copy);
            cut.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT,
                    "partSize", "5M", "multipartThreshold", "5M")));
            cut.addAll(List.of("--bwlimit", "4M", "--max-duration", "3s"));
            CaravanCommand first = CaravanCommand.run(cut);
            assertThat(first.code()).as(first.toString()).isEqualTo(3);
            assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("the upload left open")
                    .extracting(MultipartUpload::key).containsExactly("sup/whole.bin");
            copy.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT,
                    targetOptions.toArray(String[]::new))));
            copy.addAll(more);

            CaravanCommand again = CaravanCommand.run(copy);

            assertThat(again.code()).as(again.toString()).isZero();
            try (InputStream in = s3.getObject(r -> r.bucket(bucket).key(key))) {
                assertThat(sha256(in.readAllBytes())).as("the file on S3Proxy").isEqualTo(data);
            }
            assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("unfinished uploads").isEmpty();
            CloudServers.deleteBucket(s3, bucket);
            return again;
        }
    }

    @Test
    @Timeout(180)
    void azureBlocksOfAnObjectDeletedSinceAnInterruptedRunAreDiscardedByTheRerun() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        write(source.resolve("a.bin"));
        write(source.resolve("b.bin"));
        String container = CloudServers.freshName("superseded");
        BlobContainerClient blobs = CloudServers.azure().getBlobContainerClient(container);
        List<String> copy = new ArrayList<>(List.of("--home", tmp.resolve("home").toString(), "--no-progress", "copy",
                "local:" + source, "azblob:" + container + "/sup", "--transfers", "2"));
        copy.addAll(CloudServers.cliOptions("--target-option", Map.of("connectionString",
                CloudServers.AZURE_CONNECTION_STRING, "createContainer", "true", "blockSize", "1M",
                "singleUploadThreshold", "1M")));
        List<String> cut = new ArrayList<>(copy);
        cut.addAll(List.of("--bwlimit", "4M", "--max-duration", "3s"));
        try {
            // two parts in memory at a time: at the bandwidth limit some finish (and Azure holds their blocks) before
            // the cut; with the default 64 MiB, all 48 are sent at once, sharing the bandwidth, and none finishes
            System.setProperty(BUFFER_MEMORY, Integer.toString(2 << 20));
            CaravanCommand first;
            try {
                first = CaravanCommand.run(cut);
            } finally {
                System.clearProperty(BUFFER_MEMORY);
            }

            assertThat(first.code()).as(first.toString()).isEqualTo(3);
            List<String> left = CloudServers.blobsWithUncommittedBlocksOnly(blobs);
            assertThat(left).as("blocks left, as after a kill").isNotEmpty();
            // the file whose blocks were left goes away on the source (a new commit of an edited one would discard
            // its old blocks anyway); the other is edited
            String gone = left.get(0).substring("sup/".length());
            String kept = gone.equals("a.bin") ? "b.bin" : "a.bin";
            Files.delete(source.resolve(gone));
            String edited = write(source.resolve(kept));
            Files.setLastModifiedTime(source.resolve(kept), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            CaravanCommand rerun = CaravanCommand.run(copy);

            assertThat(rerun.code()).as(rerun.toString()).isZero();
            assertThat(sha256(blobs.getBlobClient("sup/" + kept).downloadContent().toBytes()))
                    .as("the edited file on Azurite").isEqualTo(edited);
            assertThat(CloudServers.blobsWithUncommittedBlocksOnly(blobs)).as("blobs holding uncommitted blocks only")
                    .isEmpty();
        } finally {
            blobs.deleteIfExists();
        }
    }

    /** Writes {@code SIZE} random bytes to {@code file} (replacing it); returns their SHA-256. */
    private String write(Path file) throws IOException {
        byte[] data = new byte[SIZE];
        random.nextBytes(data);
        Files.write(file, data);
        return sha256(data);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
