package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code caravan cleanup} on S3Proxy run with a journal that records no migration (another {@code --home} than the
 * migrations'): it cannot know which uploads a run goes on from, and says so (the cut-off copy whose upload it keeps:
 * {@link CloudCutoffIT}).
 */
class CleanupS3IT {
    @TempDir
    Path home;

    private S3Client s3;
    private String bucket;

    @BeforeEach
    void bucket() {
        s3 = CloudServers.s3();
        bucket = CloudServers.freshName("cleanup");
        s3.createBucket(r -> r.bucket(bucket));
    }

    @AfterEach
    void drop() {
        CloudServers.deleteBucket(s3, bucket);
        s3.close();
    }

    @Test
    void aJournalThatRecordsNoMigrationIsNamedInAWarning() {
        s3.createMultipartUpload(r -> r.bucket(bucket).key("data/a.bin"));
        List<String> args = new ArrayList<>(List.of("--home", home.toString(), "cleanup", "s3:" + bucket + "/data",
                "--older-than", "0s", "--dry-run"));
        args.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT)));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("would abort  a.bin");
        assertThat(err.toString()).contains("records no migration")
                .contains("--home").contains("--journal");
    }
}
