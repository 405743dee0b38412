package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * A backup copy cut off mid-upload, against S3Proxy: {@code caravan sync local:SRC s3:BUCKET/data --backup-dir
 * s3:KEPT/old} replaces one 256 MiB object, whose old version is streamed to another bucket (through another endpoint
 * spelling, so no server-side copy) as a multipart upload of 16 MiB parts, slowed to 32 MiB/s by {@code --bwlimit}
 * and stopped by a hard {@code --max-duration} of 6 s (it needs 8 s). Then: the original is untouched, byte for byte;
 * {@code caravan cleanup} of the backup bucket keeps the backup's unfinished upload (and aborts a stray one); the same
 * command with a long window completes, sending less than the object for the backup copy ({@code backup.bytesSent} of
 * its task's report); the backup holds the old bytes and the target the new (SHA-256 read back); no multipart upload
 * is left.
 */
class CloudBackupResumeIT {
    private static final long OLD_SIZE = 256 * LargeObjects.MIB;
    private static final long PART = 16 * LargeObjects.MIB;
    /** 6 s at 32 MiB/s: the first parts (four in flight, 64 MiB of buffers) finish, not the sixteen. */
    private static final long WINDOW_SECONDS = 6;

    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    void aBackupCopyCutOffMidUploadIsKeptByCleanupAndContinuedFromItsPartsByTheRerun() throws Exception {
        Path old = Files.createDirectories(tmp.resolve("old"));
        String oldSha = LargeObjects.write(old.resolve("big.bin"), OLD_SIZE);
        Path source = Files.createDirectories(tmp.resolve("source"));
        byte[] replacement = new byte[(int) LargeObjects.MIB + 17];
        new SecureRandom().nextBytes(replacement);
        Files.write(source.resolve("big.bin"), replacement);
        Path home = tmp.resolve("home");
        String bucket = CloudServers.freshName("bres");
        String kept = CloudServers.freshName("bres-kept");
        try (S3Client s3 = CloudServers.s3()) {
            s3.createBucket(r -> r.bucket(bucket));
            s3.createBucket(r -> r.bucket(kept));
            // the old version put in place by caravan
            LargeObjects.uploadWithCaravan(tmp.resolve("seed-home"), old, "s3:" + bucket + "/data");
            List<String> sync = new ArrayList<>(List.of("--home", home.toString(), "--no-progress", "sync",
                    "local:" + source, "s3:" + bucket + "/data", "--backup-dir", "s3:" + kept + "/old",
                    "--transfers", "1"));
            sync.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT)));
            // another spelling of the endpoint: not the target's account, so the old version is streamed
            Map<String, String> backupOptions = CloudServers.s3Options(CloudServers.S3_ENDPOINT.replace("127.0.0.1",
                    "localhost"));
            sync.addAll(CloudServers.cliOptions("--backup-option", backupOptions));

            List<String> cut = new ArrayList<>(sync);
            cut.addAll(List.of("--bwlimit", "32M", "--max-duration", WINDOW_SECONDS + "s"));
            long started = System.nanoTime();
            CaravanCommand first = CaravanCommand.run(cut);
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(first.code()).as(first.toString()).isEqualTo(3);
            assertThat(first.out()).as(first.toString()).contains("the max duration of 6s is up");
            System.out.printf("CloudBackupResumeIT: the command with a max duration of %d s took %.1f s%n",
                    WINDOW_SECONDS, seconds);
            assertThat(seconds).as("stopped soon after the deadline").isLessThan(WINDOW_SECONDS + 10);
            try (InputStream in = s3.getObject(r -> r.bucket(bucket).key("data/big.bin"))) {
                assertThat(LargeObjects.sha256Of(in)).as("the original, untouched").isEqualTo(oldSha);
            }
            List<MultipartUpload> open = s3.listMultipartUploads(r -> r.bucket(kept)).uploads();
            assertThat(open).as("the backup's upload is left open").hasSize(1);
            assertThat(open.get(0).key()).isEqualTo("old/big.bin");
            int partsHeld = LargeObjects.partsHeld(s3, kept, open.get(0));
            assertThat(partsHeld).as("parts finished before the cut").isGreaterThan(0)
                    .isLessThan((int) (OLD_SIZE / PART));

            String stray = s3.createMultipartUpload(r -> r.bucket(kept).key("stray/left.bin")).uploadId();
            List<String> cleanup = new ArrayList<>(List.of("--home", home.toString(), "cleanup", "s3:" + kept,
                    "--older-than", "0s"));
            cleanup.addAll(CloudServers.cliOptions("--target-option", backupOptions));
            CaravanCommand cleaned = CaravanCommand.run(cleanup);
            assertThat(cleaned.code()).as(cleaned.toString()).isZero();
            assertThat(cleaned.out()).contains("aborted 1 unfinished upload; kept 1 that unfinished runs go on from");
            assertThat(s3.listMultipartUploads(r -> r.bucket(kept)).uploads()).extracting(MultipartUpload::uploadId)
                    .as("the backup's upload stays").doesNotContain(stray).containsExactly(open.get(0).uploadId());

            List<String> rest = new ArrayList<>(sync);
            rest.addAll(List.of("--max-duration", "10m"));
            CaravanCommand second = CaravanCommand.run(rest);

            assertThat(second.code()).as(second.toString()).isZero();
            assertThat(second.out()).contains("kept      1 object in the backup dir");
            Map<String, String> report = LargeObjects.reportOfTheCompletingRun(home);
            assertThat(report).as("the task's report").containsKey("backup.bytesSent");
            assertThat(Long.parseLong(report.get("backup.bytesSent")))
                    .as("bytes the rerun sent for the backup copy: the parts held are not sent again")
                    .isLessThanOrEqualTo(OLD_SIZE - partsHeld * PART);
            try (InputStream in = s3.getObject(r -> r.bucket(kept).key("old/big.bin"))) {
                assertThat(LargeObjects.sha256Of(in)).as("the backup holds the old bytes").isEqualTo(oldSha);
            }
            try (InputStream in = s3.getObject(r -> r.bucket(bucket).key("data/big.bin"))) {
                assertThat(LargeObjects.sha256Of(in)).as("the target holds the new bytes")
                        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(replacement)));
            }
            assertThat(s3.listMultipartUploads(r -> r.bucket(kept)).uploads()).as("unfinished uploads").isEmpty();
            assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("unfinished uploads").isEmpty();
        } finally {
            try (S3Client s3 = CloudServers.s3()) {
                CloudServers.deleteBucket(s3, bucket);
                CloudServers.deleteBucket(s3, kept);
            }
        }
    }
}
