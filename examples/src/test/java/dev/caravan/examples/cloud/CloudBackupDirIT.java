package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code --backup-dir} against S3Proxy: a sync into {@code s3:BUCKET/data} keeps what it deletes and overwrites
 * under a prefix of the same bucket (the target's server: copied there server-side), and a sync from a local folder
 * keeps them in another bucket; the kept objects are read back and compared byte for byte.
 */
class CloudBackupDirIT {
    @TempDir
    Path tmp;

    @Test
    void aSyncKeepsWhatItReplacesUnderAPrefixOfTheSameBucketAndInAnotherBucket() throws Exception {
        BackupContents contents = BackupContents.fresh();
        Path source = Files.createDirectories(tmp.resolve("source/docs"));
        Files.write(source.resolve("report.txt"), contents.newReport());
        String bucket = CloudServers.freshName("backup");
        String other = CloudServers.freshName("backup-other");
        try (S3Client s3 = CloudServers.s3()) {
            s3.createBucket(r -> r.bucket(bucket));
            s3.createBucket(r -> r.bucket(other));
            for (String prefix : List.of("data/", "local/")) {
                s3.putObject(r -> r.bucket(bucket).key(prefix + "docs/report.txt"),
                        RequestBody.fromBytes(contents.oldReport()));
                s3.putObject(r -> r.bucket(bucket).key(prefix + "gone.log"), RequestBody.fromBytes(contents.gone()));
            }
            // the source: the same files, in another prefix of the same bucket
            s3.putObject(r -> r.bucket(bucket).key("src/docs/report.txt"), RequestBody.fromBytes(contents.newReport()));

            CaravanCommand sameBucket = sync("s3:" + bucket + "/src", "s3:" + bucket + "/data",
                    "s3:" + bucket + "/old", true);
            CaravanCommand toOther = sync("local:" + source.getParent(), "s3:" + bucket + "/local",
                    "s3:" + other + "/kept", false);

            assertThat(sameBucket.code()).as(sameBucket.toString()).isZero();
            assertThat(sameBucket.out()).contains("kept      2 objects in the backup dir");
            assertThat(CloudServers.s3Objects(s3, bucket, "old/")).containsOnlyKeys("docs/report.2026-11-28.txt",
                    "gone.2026-11-28.log").satisfies(kept -> {
                        assertThat(kept.get("docs/report.2026-11-28.txt")).isEqualTo(contents.oldReport());
                        assertThat(kept.get("gone.2026-11-28.log")).isEqualTo(contents.gone());
                    });
            Map<String, byte[]> data = CloudServers.s3Objects(s3, bucket, "data/");
            assertThat(data).containsOnlyKeys("docs/report.txt");
            assertThat(data.get("docs/report.txt")).isEqualTo(contents.newReport());

            assertThat(toOther.code()).as(toOther.toString()).isZero();
            assertThat(CloudServers.s3Objects(s3, other, "kept/")).containsOnlyKeys("docs/report.txt", "gone.log")
                    .satisfies(kept -> {
                        assertThat(kept.get("docs/report.txt")).isEqualTo(contents.oldReport());
                        assertThat(kept.get("gone.log")).isEqualTo(contents.gone());
                    });
            Map<String, byte[]> local = CloudServers.s3Objects(s3, bucket, "local/");
            assertThat(local).containsOnlyKeys("docs/report.txt");
            assertThat(local.get("docs/report.txt")).isEqualTo(contents.newReport());
        }
    }

    private CaravanCommand sync(String source, String target, String backupDir, boolean suffix) {
        List<String> args = new ArrayList<>(List.of("--home", tmp.resolve("home").toString(), "--no-progress",
                "sync", source, target, "--backup-dir", backupDir));
        if (suffix) {
            args.addAll(List.of("--suffix", ".2026-11-28", "--suffix-keep-extension"));
        }
        if (source.startsWith("s3:")) {
            args.addAll(CloudServers.cliOptions("--source-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT)));
        }
        args.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT)));
        return CaravanCommand.run(args);
    }
}
