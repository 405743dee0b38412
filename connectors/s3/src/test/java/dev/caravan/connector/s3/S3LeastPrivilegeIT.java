package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * A target whose credentials cannot delete (an IAM policy with s3:PutObject, s3:GetObject and s3:ListBucket, without
 * s3:DeleteObject), seen through a {@link FaultyProxy} that answers such requests {@code 403 AccessDenied} as S3 does:
 * a copy completes, verified, and leaves nothing in the bucket but the copies (the write probe is an upload started and
 * aborted, never an object; an abort refused is a warning of the run's report naming the upload, s3:AbortMultipartUpload
 * and how to remove it); a sync that must delete fails naming the permission, and deletes nothing. Before, the
 * copy failed "cannot write to the target" and left the probe object {@code .caravan-probe-...} in the bucket.
 */
class S3LeastPrivilegeIT extends LocalToS3Fixture {
    S3LeastPrivilegeIT() {
        super("leastpriv", 3, 2_000);
    }

    @Test
    @Timeout(120)
    void aCopyWithCredentialsThatCannotDeleteCompletesAndLeavesNoProbeObject() throws IOException {
        try (FaultyProxy wire = proxy(); MigrationEngine engine = engine()) {
            wire.denyWhere(line -> line.startsWith("DELETE ") && !line.contains("uploadId="));

            RunResult r = engine.run(spec(wire), ProgressListener.NONE);

            assertThat(r.outcome()).as(r.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.copied()).isEqualTo(files);
            assertThat(r.verification().clean()).isTrue();
            assertThat(wire.requestLines()).as("the probe: an upload started and aborted")
                    .anyMatch(line -> line.startsWith("POST /" + bucket + "/.caravan-probe-") && line.contains("uploads"))
                    .anyMatch(line -> line.startsWith("DELETE /" + bucket + "/.caravan-probe-")
                            && line.contains("uploadId="));
        }
        assertAllCopied(); // the copies and nothing else: no probe object
        assertThat(unfinishedUploads()).isEmpty();
    }

    @Test
    @Timeout(120)
    void aDeniedAbortOfTheProbeLeavesOnlyAnEmptyUnfinishedUploadAndTheCopyCompletes() throws IOException {
        try (FaultyProxy wire = proxy(); MigrationEngine engine = engine()) {
            wire.denyWhere(line -> line.startsWith("DELETE ")); // nor s3:AbortMultipartUpload

            RunResult r = engine.run(spec(wire), ProgressListener.NONE);

            assertThat(r.outcome()).as(r.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.verification().clean()).isTrue();
            assertThat(wire.denials()).as("the probe's abort was refused").isPositive();
            // said in the run's report, not only logged
            assertThat(r.warnings()).singleElement().asString().contains("the write probe's multipart upload of"
                    + " '.caravan-probe-").contains("s3:AbortMultipartUpload").contains("caravan cleanup")
                    .contains("AbortIncompleteMultipartUpload");
            assertThat(java.nio.file.Files.readString(r.reportJson())).contains("s3:AbortMultipartUpload");
        }
        // S3Proxy's file backend keeps an unfinished upload as objects of its own (.mpus-...-stub and one named by
        // the upload id), which it lists; AWS S3 lists no object for an upload
        MultipartUpload probe = unfinishedUploads().get(0);
        assertThat(S3It.allKeys(raw, bucket)).filteredOn(k -> !k.startsWith(".mpus-") && !k.equals(probe.uploadId()))
                .containsExactlyInAnyOrder("f0.bin", "f1.bin", "f2.bin");
        List<MultipartUpload> left = unfinishedUploads();
        assertThat(left).as("the probe's upload, which holds no part").singleElement()
                .satisfies(u -> assertThat(u.key()).startsWith(".caravan-probe-"));
        assertThat(raw.listParts(p -> p.bucket(bucket).key(probe.key()).uploadId(probe.uploadId())).parts()).isEmpty();
    }

    @Test
    @Timeout(120)
    void aSyncThatMustDeleteWithCredentialsThatCannotFailsNamingThePermissionAndDeletesNothing() throws IOException {
        raw.createBucket(b -> b.bucket(bucket));
        raw.putObject(p -> p.bucket(bucket).key("extra.txt"), RequestBody.fromString("only on the target"));
        try (FaultyProxy wire = proxy(); MigrationEngine engine = engine()) {
            wire.denyWhere(line -> line.startsWith("DELETE ") && !line.contains("uploadId="));

            String failure;
            try {
                RunResult r = engine.run(spec(wire).toBuilder().mode(Mode.SYNC).build(), ProgressListener.NONE);
                assertThat(r.outcome()).isNotEqualTo(RunOutcome.COMPLETE);
                assertThat(r.copied()).isEqualTo(files);
                failure = String.join("\n", r.errors());
            } catch (MigrationException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
                failure = e.getMessage();
            }
            assertThat(failure).contains("extra.txt").contains("AccessDenied").contains("s3:DeleteObject");
        }
        assertThat(S3It.allKeys(raw, bucket)).contains("extra.txt").hasSize(files + 1);
    }

    /**
     * A backup dir in another bucket whose credentials cannot write there (the proxy answers its PUT and POST requests
     * 403 AccessDenied, as an IAM policy without s3:PutObject on it would): a copy that replaces a changed object fails
     * before it writes anything, naming the backup dir and s3:PutObject. Before, the new objects were copied, and the
     * replacement failed only when it first copied its original into the backup dir.
     */
    @Test
    @Timeout(120)
    void aBackupDirTheCredentialsCannotWriteFailsTheRunBeforeAnythingIsWritten() throws IOException {
        String kept = S3It.newBucket("leastpriv-kept");
        raw.createBucket(b -> b.bucket(bucket));
        raw.createBucket(b -> b.bucket(kept));
        raw.putObject(p -> p.bucket(bucket).key("f0.bin"), RequestBody.fromString("the old f0"));
        try (FaultyProxy wire = proxy(); MigrationEngine engine = engine()) {
            wire.denyWhere(line -> line.startsWith("PUT /" + kept + "/") || line.startsWith("POST /" + kept + "/"));
            MigrationSpec spec = spec(wire).toBuilder().backup(new BackupDir("s3:" + kept, null, false)).build();

            assertThatThrownBy(() -> engine.run(spec, ProgressListener.NONE)).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("cannot write to the backup dir s3:" + kept)
                    .hasMessageContaining("s3:PutObject")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
            assertThat(S3It.allKeys(raw, bucket)).as("nothing written").containsExactly("f0.bin");
            assertThat(raw.getObjectAsBytes(g -> g.bucket(bucket).key("f0.bin")).asUtf8String())
                    .isEqualTo("the old f0");
        } finally {
            S3It.deleteBucket(raw, kept);
        }
    }

    private FaultyProxy proxy() throws IOException {
        URI upstream = URI.create(S3It.endpoint());
        return new FaultyProxy(upstream.getHost(), upstream.getPort(), n -> FaultyProxy.Fault.FORWARD);
    }

    private List<MultipartUpload> unfinishedUploads() {
        return raw.listMultipartUploads(l -> l.bucket(bucket)).uploads();
    }
}
