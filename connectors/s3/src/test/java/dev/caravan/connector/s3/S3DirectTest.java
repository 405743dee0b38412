package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The request headers and the error answers of {@link S3Direct} (no network). */
class S3DirectTest {

    @Test
    void sendsEveryFieldTheUploaderSetsAsTheSdkWould() {
        PutObjectRequest put = PutObjectRequest.builder().bucket("b").key("k").contentLength(3L).contentMD5("bWQ1")
                .contentType("image/png").cacheControl("max-age=60").contentDisposition("inline")
                .contentEncoding("gzip").contentLanguage("de").tagging("a=1").storageClass("STANDARD_IA")
                .metadata(Map.of("caravan-sha256", "abc", "caravan-mtime", "1")).build();

        assertThat(S3Direct.headers(put)).hasValueSatisfying(h -> assertThat(h).containsExactlyInAnyOrderEntriesOf(
                Map.of("x-amz-meta-caravan-sha256", "abc", "x-amz-meta-caravan-mtime", "1", "Content-Type",
                        "image/png", "Cache-Control", "max-age=60", "Content-Disposition", "inline",
                        "Content-Encoding", "gzip", "Content-Language", "de", "x-amz-tagging", "a=1",
                        "x-amz-storage-class", "STANDARD_IA", "Content-MD5", "bWQ1")));
        assertThat(S3Direct.headers(PutObjectRequest.builder().bucket("b").key("k").contentLength(0L).build()))
                .as("no type given: the SDK's default for a byte body")
                .hasValueSatisfying(h -> assertThat(h).containsExactlyEntriesOf(
                        Map.of("Content-Type", "application/octet-stream")));
    }

    @Test
    void readsAnswersIntoTheSdksResponseObjectsFieldByField() {
        SdkHttpResponse answer = SdkHttpResponse.builder().statusCode(200).headers(Map.ofEntries(
                Map.entry("Content-Length", List.of("42")), Map.entry("ETag", List.of("\"0123\"")),
                Map.entry("Last-Modified", List.of("Thu, 26 Nov 2026 09:38:34 GMT")),
                Map.entry("Content-Type", List.of("image/png")), Map.entry("Cache-Control", List.of("max-age=60")),
                Map.entry("x-amz-meta-caravan-sha256", List.of("abc")), Map.entry("x-amz-meta-owner", List.of("ana")),
                Map.entry("x-amz-tagging-count", List.of("2")), Map.entry("x-amz-server-side-encryption",
                        List.of("aws:kms")), Map.entry("x-amz-storage-class", List.of("STANDARD_IA")),
                Map.entry("Expires", List.of("not a date")))).build();
        HeadObjectResponse.Builder b = HeadObjectResponse.builder();
        S3Direct.fromHeaders(b, answer);
        HeadObjectResponse h = b.build();
        assertThat(h.contentLength()).isEqualTo(42L);
        assertThat(h.eTag()).isEqualTo("\"0123\"");
        assertThat(h.lastModified()).isEqualTo(Instant.parse("2026-11-26T09:38:34Z"));
        assertThat(h.contentType()).isEqualTo("image/png");
        assertThat(h.cacheControl()).isEqualTo("max-age=60");
        assertThat(h.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("caravan-sha256", "abc", "owner", "ana"));
        assertThat(h.tagCount()).isEqualTo(2);
        assertThat(h.serverSideEncryptionAsString()).isEqualTo("aws:kms");
        assertThat(h.storageClassAsString()).isEqualTo("STANDARD_IA");
        assertThat(h.expires()).as("unreadable: left out").isNull();
        assertThat(h.contentEncoding()).isNull();
    }

    @Test
    void leavesRequestsWithOtherFieldsToTheSdkClient() {
        PutObjectRequest base = PutObjectRequest.builder().bucket("b").key("k").contentLength(1L).build();
        assertThat(S3Direct.headers(base.toBuilder().websiteRedirectLocation("/elsewhere").build())).isEmpty();
        assertThat(S3Direct.headers(base.toBuilder().expectedBucketOwner("123456789012").build())).isEmpty();
        assertThat(S3Direct.headers(base.toBuilder().serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId("alias/backup").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL).build()))
                .as("the store's encryption and ACL options go along").hasValueSatisfying(h -> assertThat(h)
                        .containsEntry("x-amz-server-side-encryption", "aws:kms")
                        .containsEntry("x-amz-server-side-encryption-aws-kms-key-id", "alias/backup")
                        .containsEntry("x-amz-acl", "bucket-owner-full-control"));
        assertThat(S3Direct.headers(base.toBuilder().overrideConfiguration(o -> o.putHeader("x", "y")).build()))
                .isEmpty();
    }

    @Test
    void refusalsCarryTheServersCodeSoTheyAreClassifiedAsThroughTheSdk() {
        SdkHttpResponse slow = SdkHttpResponse.builder().statusCode(503)
                .headers(Map.of("Retry-After", List.of("1"))).build();
        S3Exception e = S3Direct.failure(503, slow, "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code>"
                + "<Message>Please reduce your request rate &amp; retry.</Message><RequestId>r-1</RequestId></Error>");
        assertThat(e.statusCode()).isEqualTo(503);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Please reduce your request rate & retry.");
        assertThat(e.requestId()).isEqualTo("r-1");
        MigrationException m = S3Errors.translate(e, "b", "http://s3", "writing 'k'");
        assertThat(m.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(m.retryAfter()).contains(Duration.ofSeconds(1));

        SdkHttpResponse missing = SdkHttpResponse.builder().statusCode(404)
                .headers(Map.of("x-amz-request-id", List.of("r-2"))).build();
        S3Exception noBucket = S3Direct.failure(404, missing, "<Error><Code>NoSuchBucket</Code></Error>");
        assertThat(noBucket.requestId()).isEqualTo("r-2");
        assertThat(S3Errors.translate(noBucket, "b", "http://s3", "writing 'k'").kind())
                .isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(S3Errors.translate(S3Direct.failure(403, SdkHttpResponse.builder().statusCode(403).build(), ""),
                "b", "http://s3", "writing 'k'").kind()).as("no body: the status decides").isEqualTo(ErrorKind.USER_CONFIG);
    }

    @Test
    void aCopyObjectSendsTheSourceItsConditionAndTheDirectiveAsTheSdkWould() {
        CopyObjectRequest copy = CopyObjectRequest.builder().sourceBucket("src").sourceKey("a dir/ü+%.bin")
                .destinationBucket("dst").destinationKey("x/y").metadataDirective(MetadataDirective.COPY)
                .copySourceIfMatch("\"0123\"").storageClass("STANDARD_IA").build();

        assertThat(S3Direct.copyHeaders(copy)).hasValueSatisfying(h -> assertThat(h).containsExactlyInAnyOrderEntriesOf(
                Map.of("x-amz-copy-source", "src/a%20dir/%C3%BC%2B%25.bin", "x-amz-metadata-directive", "COPY",
                        "x-amz-copy-source-if-match", "\"0123\"", "x-amz-storage-class", "STANDARD_IA")));
        assertThat(S3Direct.copyHeaders(copy.toBuilder().metadataDirective(MetadataDirective.REPLACE).build()))
                .as("new metadata: the SDK client sends it").isEmpty();
        assertThat(S3Direct.copyHeaders(copy.toBuilder().serverSideEncryption(ServerSideEncryption.AES256)
                .acl(ObjectCannedACL.PRIVATE).build())).hasValueSatisfying(h -> assertThat(h)
                        .containsEntry("x-amz-server-side-encryption", "AES256").containsEntry("x-amz-acl", "private"));
        assertThat(S3Direct.copyHeaders(copy.toBuilder().expectedBucketOwner("123456789012").build())).isEmpty();
        assertThat(S3Direct.copyHeaders(copy.toBuilder().sourceVersionId("v1").build())).isEmpty();
    }
}
