package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * SIGKILL during a multipart upload: a child JVM runs {@code caravan copy local:SRC s3:BUCKET/kill} of one 1 GiB
 * file to S3Proxy (parts of 16 MiB) and is killed ({@link Process#destroyForcibly()}, SIGKILL on Linux) once S3Proxy
 * holds at least 12 of its parts (polled with ListMultipartUploads / ListParts). The same command then runs again:
 * it must resume the upload from the journal, so that its task report says {@code copy.bytesSent} is less than the
 * size minus one part; the object must be byte-identical (SHA-256 of both sides) and no multipart upload may be left
 * on the server.
 */
class CloudKillResumeIT {
    private static final long MIB = 1 << 20;
    private static final long SIZE = Long.getLong("caravan.it.killObjectSize", 1024 * MIB);
    private static final long PART = 16 * MIB;

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void killedUploadResumesFromItsFinishedParts() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        Path file = source.resolve("big.bin");
        String expectedSha = LargeObjects.write(file, SIZE);
        Path home = tmp.resolve("home");
        String bucket = CloudServers.freshName("kill");
        try (S3Client s3 = CloudServers.s3()) {
            s3.createBucket(r -> r.bucket(bucket));
            List<String> args = new ArrayList<>(List.of("--home", home.toString(), "--no-progress", "copy",
                    "local:" + source, "s3:" + bucket + "/kill", "--transfers", "1"));
            args.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT,
                    "partSize", "16M", "uploadConcurrency", "4")));

            // the first run is slowed down, so the kill lands mid-upload: unthrottled, S3Proxy could answer the part
            // listing only once every part was in (it fails while parts are being written) and then complete the
            // object after the kill, which the second run would find in place and not copy
            List<String> firstArgs = new ArrayList<>(args);
            firstArgs.addAll(List.of("--bwlimit", "64M"));
            Process first = child(firstArgs, tmp.resolve("first.log"));
            try {
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertThat(first.isAlive()).as("first run ended before it was killed:\n%s",
                            tail(tmp.resolve("first.log"))).isTrue();
                    return partsOnServer(s3, bucket) >= 12;
                });
            } finally {
                first.destroyForcibly().waitFor();
            }
            assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("the killed upload is unfinished")
                    .hasSize(1);

            Process second = child(args, tmp.resolve("second.log"));
            int code = second.waitFor();
            assertThat(code).as(tail(tmp.resolve("second.log"))).isZero();

            assertThat(LargeObjects.bytesSentByTheCompletingRun(home)).as("bytes sent after the restart")
                    .isLessThan(SIZE - PART);
            String stored;
            try (InputStream in = s3.getObject(r -> r.bucket(bucket).key("kill/big.bin"))) {
                stored = LargeObjects.sha256Of(in);
            }
            assertThat(stored).as("SHA-256 of the object on S3Proxy").isEqualTo(expectedSha);
            assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()).as("unfinished uploads").isEmpty();
            CloudServers.deleteBucket(s3, bucket);
        }
    }

    /**
     * The parts of the unfinished upload; -1 while S3Proxy cannot answer (seen while an upload is being initiated or
     * a part written: 500 on listing the uploads, 400 on listing the parts of one just listed): the next poll asks
     * again, and a lasting error ends the wait with its timeout.
     */
    private static int partsOnServer(S3Client s3, String bucket) {
        try {
            List<MultipartUpload> uploads = s3.listMultipartUploads(r -> r.bucket(bucket)).uploads();
            if (uploads.isEmpty()) {
                return 0;
            }
            MultipartUpload u = uploads.get(0);
            return s3.listParts(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId())).parts().size();
        } catch (S3Exception e) {
            return -1;
        }
    }

    private static Process child(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "dev.caravan.cli.Main"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
