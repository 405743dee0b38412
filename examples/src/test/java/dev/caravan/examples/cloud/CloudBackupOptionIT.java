package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code --backup-option} against S3Proxy: the backup dir is an S3 bucket reached through its own options, from a
 * local -> S3 sync (another endpoint spelling than the target's) and from an S3 -> local sync (the backup dir on
 * another connector than the target, which had only the S3 defaults before); what is kept is read back byte for byte,
 * and the secret key appears neither in the output nor in the reports.
 */
class CloudBackupOptionIT {
    @TempDir
    Path tmp;

    @Test
    void aBackupDirInAnotherBucketIsReachedThroughItsOwnOptionsAndItsSecretIsNeverShown() throws Exception {
        BackupContents contents = BackupContents.fresh();
        Path source = Files.createDirectories(tmp.resolve("source/docs"));
        Files.write(source.resolve("report.txt"), contents.newReport());
        Path localTarget = Files.createDirectories(tmp.resolve("target/docs"));
        Files.write(localTarget.resolve("report.txt"), contents.oldReport());
        Files.write(localTarget.getParent().resolve("gone.log"), contents.gone());
        String bucket = CloudServers.freshName("bopt");
        String kept = CloudServers.freshName("bopt-kept");
        Map<String, String> backupOptions = CloudServers.s3Options(CloudServers.S3_ENDPOINT.replace("127.0.0.1",
                "localhost"));
        try (S3Client s3 = CloudServers.s3()) {
            s3.createBucket(r -> r.bucket(bucket));
            s3.createBucket(r -> r.bucket(kept));
            s3.putObject(r -> r.bucket(bucket).key("data/docs/report.txt"),
                    RequestBody.fromBytes(contents.oldReport()));
            s3.putObject(r -> r.bucket(bucket).key("data/gone.log"), RequestBody.fromBytes(contents.gone()));
            s3.putObject(r -> r.bucket(bucket).key("src/docs/report.txt"), RequestBody.fromBytes(contents.newReport()));

            CaravanCommand toS3 = sync(List.of("local:" + source.getParent(), "s3:" + bucket + "/data", "--backup-dir",
                    "s3:" + kept + "/from-local"), backupOptions, "--target-option");
            CaravanCommand fromS3 = sync(List.of("s3:" + bucket + "/src", "local:" + localTarget.getParent(),
                    "--backup-dir", "s3:" + kept + "/from-s3"), backupOptions, "--source-option");

            for (CaravanCommand c : List.of(toS3, fromS3)) {
                assertThat(c.code()).as(c.toString()).isZero();
                assertThat(c.out()).contains("kept      2 objects in the backup dir");
                assertThat(c.out() + c.err()).doesNotContain(CloudServers.S3_SECRET_KEY);
            }
            for (String prefix : List.of("from-local/", "from-s3/")) {
                Map<String, byte[]> backup = CloudServers.s3Objects(s3, kept, prefix);
                assertThat(backup).as(prefix).containsOnlyKeys("docs/report.txt", "gone.log");
                assertThat(backup.get("docs/report.txt")).isEqualTo(contents.oldReport());
                assertThat(backup.get("gone.log")).isEqualTo(contents.gone());
            }
            Map<String, byte[]> data = CloudServers.s3Objects(s3, bucket, "data/");
            assertThat(data).containsOnlyKeys("docs/report.txt");
            assertThat(data.get("docs/report.txt")).isEqualTo(contents.newReport());
            assertThat(Files.readAllBytes(localTarget.resolve("report.txt"))).isEqualTo(contents.newReport());
            assertThat(localTarget.getParent().resolve("gone.log")).doesNotExist();
        }
        try (Stream<Path> files = Files.walk(tmp.resolve("home"))) {
            for (Path report : files.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".html"))
                    .toList()) {
                assertThat(Files.readString(report)).as(report.toString()).doesNotContain(CloudServers.S3_SECRET_KEY);
            }
        }
    }

    /** A sync with the backup dir's S3 options, and the S3 side's options given with {@code s3Flag}. */
    private CaravanCommand sync(List<String> command, Map<String, String> backupOptions, String s3Flag) {
        List<String> args = new ArrayList<>(List.of("--home", tmp.resolve("home").toString(), "--no-progress",
                "sync"));
        args.addAll(command);
        args.addAll(CloudServers.cliOptions(s3Flag, CloudServers.s3Options(CloudServers.S3_ENDPOINT)));
        args.addAll(CloudServers.cliOptions("--backup-option", backupOptions));
        return CaravanCommand.run(args);
    }
}
