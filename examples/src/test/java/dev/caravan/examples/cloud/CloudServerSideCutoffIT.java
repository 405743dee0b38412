package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * {@code --max-duration} (cut-off mode hard) stops a server-side copy in parts: {@code caravan copy s3:SRC s3:DST} of
 * one 600 MiB object, which S3Proxy copies with UploadPartCopy in parts of 5 MiB one at a time (some 5 s), with a max
 * duration of 1 s. The command stops between two parts (exit code 3, the object cut off, not published, its upload
 * open with the parts copied so far); the same command without the limit continues that upload (it copies less than
 * the object again), and the object read back is the source's.
 */
class CloudServerSideCutoffIT {
    private static final long SIZE = 600 * LargeObjects.MIB;
    private static final long PART = 5 * LargeObjects.MIB;

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void aHardCutoffStopsAServerSideCopyBetweenPartsAndTheRerunContinuesItsUpload() throws Exception {
        Path local = Files.createDirectories(tmp.resolve("local"));
        String expectedSha = LargeObjects.write(local.resolve("big.bin"), SIZE);
        Path home = tmp.resolve("home");
        String from = CloudServers.freshName("sscut-src");
        String to = CloudServers.freshName("sscut-dst");
        try (S3Client s3 = CloudServers.s3()) {
            s3.createBucket(r -> r.bucket(from));
            s3.createBucket(r -> r.bucket(to));
            // the source object, uploaded with its own journal
            LargeObjects.uploadWithCaravan(tmp.resolve("upload-home"), local, "s3:" + from);
            List<String> copy = new ArrayList<>(List.of("--home", home.toString(), "--no-progress", "copy",
                    "s3:" + from, "s3:" + to, "--transfers", "1"));
            copy.addAll(CloudServers.cliOptions("--source-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT)));
            copy.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT,
                    "copyPartSize", "5M", "multipartCopyThreshold", "5M", "uploadConcurrency", "1")));

            List<String> cut = new ArrayList<>(copy);
            cut.addAll(List.of("--max-duration", "1s"));
            long started = System.nanoTime();
            CaravanCommand first = CaravanCommand.run(cut);
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(first.code()).as(first.toString()).isEqualTo(3);
            assertThat(first.out()).contains("the 1 transfer in flight stopped there (cut off: big.bin)");
            assertThat(s3.listObjectsV2(r -> r.bucket(to)).contents()).as("nothing published")
                    .noneMatch(o -> o.key().equals("big.bin"));
            List<MultipartUpload> open = s3.listMultipartUploads(r -> r.bucket(to)).uploads();
            assertThat(open).as("the upload is left open").hasSize(1);
            int partsHeld = LargeObjects.partsHeld(s3, to, open.get(0));
            System.out.printf("CloudServerSideCutoffIT: %d of %d parts copied before the cut, after %.1f s%n",
                    partsHeld, SIZE / PART, seconds);
            assertThat(partsHeld).as("parts copied before the cut").isGreaterThan(0).isLessThan((int) (SIZE / PART));

            CaravanCommand second = CaravanCommand.run(copy);

            assertThat(second.code()).as(second.toString()).isZero();
            assertThat(LargeObjects.bytesSentByTheCompletingRun(home))
                    .as("bytes copied by the rerun: the parts held are not copied again")
                    .isLessThanOrEqualTo(SIZE - partsHeld * PART);
            try (InputStream in = s3.getObject(r -> r.bucket(to).key("big.bin"))) {
                assertThat(LargeObjects.sha256Of(in)).as("SHA-256 of the copy").isEqualTo(expectedSha);
            }
            assertThat(s3.listMultipartUploads(r -> r.bucket(to)).uploads()).as("unfinished uploads").isEmpty();
            CloudServers.deleteBucket(s3, from);
            CloudServers.deleteBucket(s3, to);
        }
    }
}
