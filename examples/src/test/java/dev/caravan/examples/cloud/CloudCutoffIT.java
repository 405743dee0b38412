package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.RunSummary;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * {@code --max-duration} with the default {@code --cutoff-mode hard} against S3Proxy: {@code caravan copy local:SRC
 * s3:BUCKET/cut} of one 512 MiB file, slowed to 16 MiB/s by {@code --bwlimit} so that it needs some 32 s, with a max
 * duration of 10 s. The command must stop the upload mid-object soon after the deadline (exit code 3, the object
 * neither on S3 nor failed, the upload left open with its finished parts, the warning naming it); the same command
 * with a window long enough then resumes it from its parts (it sends less than the object), the copy is
 * byte-identical, and no multipart upload is left. In between, {@code caravan cleanup} aborts another upload in the
 * bucket and keeps the one the unfinished run goes on from.
 */
class CloudCutoffIT {
    private static final long SIZE = 512 * LargeObjects.MIB;
    private static final long PART = 16 * LargeObjects.MIB;
    /** Long enough for the first parts (uploaded four at a time, so some 4 s each at the limit) to finish. */
    private static final long WINDOW_SECONDS = 10;

    @TempDir
    Path tmp;

    @Test
    @Timeout(240)
    void aHardCutoffStopsTheUploadMidObjectAndTheRerunResumesItFromItsParts() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        String expectedSha = LargeObjects.write(source.resolve("big.bin"), SIZE);
        Path home = tmp.resolve("home");
        String bucket = CloudServers.freshName("cutoff");
        try (S3Client s3 = CloudServers.s3()) {
            s3.createBucket(r -> r.bucket(bucket));
            List<String> copy = new ArrayList<>(List.of("--home", home.toString(), "--no-progress", "copy",
                    "local:" + source, "s3:" + bucket + "/cut", "--transfers", "1"));
            copy.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT,
                    "partSize", "16M")));

            // the first command: a window far shorter than the upload needs at the bandwidth limit
            List<String> cut = new ArrayList<>(copy);
            cut.addAll(List.of("--bwlimit", "16M", "--max-duration", WINDOW_SECONDS + "s"));
            long started = System.nanoTime();
            CaravanCommand first = CaravanCommand.run(cut);
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(first.code()).as(first.toString()).isEqualTo(3);
            assertThat(first.out()).contains("the max duration of 10s is up")
                    .contains("the 1 transfer in flight stopped there (cut off: big.bin)");
            // the object needs 32 s at 16 MiB/s: a run that let it finish would last that long at least (the bound is
            // loose for a loaded machine; the time is printed)
            System.out.printf("CloudCutoffIT: the command with a max duration of %d s took %.1f s%n", WINDOW_SECONDS,
                    seconds);
            assertThat(seconds).as("stopped soon after the deadline, not at the end of the object")
                    .isLessThan(WINDOW_SECONDS + 10);
            // (S3Proxy's file backend lists its own records of an open upload too: only the object's key counts)
            assertThat(s3.listObjectsV2(r -> r.bucket(bucket)).contents()).as("nothing published")
                    .noneMatch(o -> o.key().equals("cut/big.bin"));
            List<MultipartUpload> open = s3.listMultipartUploads(r -> r.bucket(bucket)).uploads();
            assertThat(open).as("the upload is left open, as after a kill").hasSize(1);
            int partsHeld = LargeObjects.partsHeld(s3, bucket, open.get(0));
            assertThat(partsHeld).as("parts finished before the cut").isGreaterThan(0).isLessThan((int) (SIZE / PART));
            String url = "jdbc:h2:file:" + home.toAbsolutePath().resolve("journal");
            try (JdbcJournal journal = JdbcJournal.open(url)) {
                RunSummary run = journal.runs(1).get(0);
                assertThat(run.finishedAt()).as("unfinished").isNull();
                try (Stream<TaskRecord> failed = journal.tasks(run.runId(), EnumSet.of(TaskState.FAILED))) {
                    assertThat(failed).as("a cut-off is not a failure").isEmpty();
                }
            }

            // caravan cleanup aborts an upload nothing goes on from (another tool's, here) and keeps the one the
            // unfinished run resumes, whatever their age (S3Proxy reports every upload as started now: age 0)
            String stray = s3.createMultipartUpload(r -> r.bucket(bucket).key("stray/left.bin")).uploadId();
            List<String> cleanup = new ArrayList<>(List.of("--home", home.toString(), "cleanup", "s3:" + bucket,
                    "--older-than", "0s"));
            cleanup.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT)));
            List<String> dryCleanup = new ArrayList<>(cleanup);
            dryCleanup.add("--dry-run");
            CaravanCommand dry = CaravanCommand.run(dryCleanup);
            assertThat(dry.code()).as(dry.toString()).isZero();
            assertThat(dry.out()).contains("would abort 1 unfinished upload; kept 1 that unfinished runs go on from")
                    .contains("stray/left.bin").contains("kept (resumable)");
            assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("a dry run aborts nothing")
                    .hasSize(2);
            CaravanCommand cleaned = CaravanCommand.run(cleanup);
            assertThat(cleaned.code()).as(cleaned.toString()).isZero();
            assertThat(cleaned.out()).contains("aborted 1 unfinished upload; kept 1 that unfinished runs go on from");
            assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads())
                    .extracting(MultipartUpload::uploadId).as("the resumable upload stays").doesNotContain(stray)
                    .containsExactly(open.get(0).uploadId());

            // the same command with a window long enough (and no bandwidth limit) continues it
            List<String> rest = new ArrayList<>(copy);
            rest.addAll(List.of("--max-duration", "10m"));
            CaravanCommand second = CaravanCommand.run(rest);

            assertThat(second.code()).as(second.toString()).isZero();
            assertThat(LargeObjects.bytesSentByTheCompletingRun(home))
                    .as("bytes sent by the rerun: the parts held are not sent again")
                    .isLessThanOrEqualTo(SIZE - PART).isLessThanOrEqualTo(SIZE - partsHeld * PART);
            try (InputStream in = s3.getObject(r -> r.bucket(bucket).key("cut/big.bin"))) {
                assertThat(LargeObjects.sha256Of(in)).as("SHA-256 of the object on S3Proxy").isEqualTo(expectedSha);
            }
            assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("unfinished uploads").isEmpty();
            CloudServers.deleteBucket(s3, bucket);
        }
    }
}
