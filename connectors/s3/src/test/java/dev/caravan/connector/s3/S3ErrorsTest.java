package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** How {@link S3Errors} classifies S3 answers and client failures (no network). */
class S3ErrorsTest {
    private static final String BUCKET = "photos";
    private static final String ENDPOINT = "http://127.0.0.1:9000";

    @Test
    void rejectedCredentialsAreUserConfigNamingBucketAndEndpoint() {
        for (String code : List.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "ExpiredToken")) {
            MigrationException e = translate(s3(403, code, "The request signature we calculated does not match"));
            assertThat(e.kind()).as(code).isEqualTo(ErrorKind.USER_CONFIG);
            assertThat(e).hasMessageStartingWith("S3 rejected the credentials for bucket photos at " + ENDPOINT + ": "
                    + code);
        }
        assertThat(translate(s3(403, null, null))).hasMessageContaining("S3 rejected the credentials for bucket photos")
                .extracting(MigrationException::kind).isEqualTo(ErrorKind.USER_CONFIG);
    }

    @Test
    void anOperationDeniedByAPolicyNamesTheOperationAndThePermissionItNeeds() {
        MigrationException denied = translate(s3(403, "AccessDenied", "Access Denied"));

        MigrationException e = S3Errors.needing(denied, BUCKET, ENDPOINT, "deleting 'old/a.txt'", "s3:DeleteObject");

        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e).hasMessage("S3 at " + ENDPOINT + " denied deleting 'old/a.txt' in bucket photos (AccessDenied:"
                + " Access Denied): the credentials lack s3:DeleteObject (IAM or bucket policy), which this needs");
        MigrationException wrongSecret = translate(s3(403, "SignatureDoesNotMatch", "Forbidden"));
        assertThat(S3Errors.needing(wrongSecret, BUCKET, ENDPOINT, "deleting 'a'", "s3:DeleteObject"))
                .as("not a policy: the credentials themselves").isSameAs(wrongSecret);
    }

    @Test
    void anUploadWhoseContentTypeTheServerRewroteIsUserDataNamingItNotACredentialsProblem() {
        MigrationException refused = translate(s3(403, "SignatureDoesNotMatch", "Forbidden"));

        MigrationException e = S3Errors.forUpload(refused, "site/index.html", "text/html; charset=utf-8");

        assertThat(e.kind()).as("one object fails, the run goes on").isEqualTo(ErrorKind.USER_DATA);
        assertThat(e).hasMessageStartingWith("the server refused the signature of the upload of 'site/index.html'")
                .hasMessageContaining("'text/html; charset=utf-8'").hasMessageContaining("drop:contentType")
                .hasCause(refused);
        assertThat(S3Errors.forUpload(refused, "a.bin", "application/octet-stream")).as("no parameters")
                .isSameAs(refused);
        assertThat(S3Errors.forUpload(refused, "a.bin", null)).isSameAs(refused);
        MigrationException denied = translate(s3(403, "AccessDenied", "Access Denied"));
        assertThat(S3Errors.forUpload(denied, "a.html", "text/html; charset=utf-8")).isSameAs(denied);
    }

    @Test
    void anArchivedObjectIsUserDataSayingToRestoreItNotACredentialsProblem() {
        MigrationException e = translate(s3(403, "InvalidObjectState",
                "The operation is not valid for the object's storage class"));
        assertThat(e.kind()).as("one object fails, the run goes on").isEqualTo(ErrorKind.USER_DATA);
        assertThat(e).hasMessageStartingWith("stat of 'a/b': the object is archived")
                .hasMessageContaining("restore it first").hasMessageContaining("bucket photos")
                .hasMessageNotContaining("credentials");
    }

    @Test
    void missingBucketIsUserConfig() {
        MigrationException e = translate(s3(404, "NoSuchBucket", "The specified bucket does not exist"));
        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e).hasMessageContaining("bucket photos does not exist at " + ENDPOINT);
    }

    @Test
    void missingObjectsAndUploadsAreNotFound() {
        assertThat(translate(s3(404, "NoSuchKey", "no")).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(translate(s3(404, "NoSuchUpload", "no")).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(translate(s3(404, null, null)).kind()).as("a HEAD's 404 has no code").isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void serverTroubleAndThrottlingAreTransientWithRetryAfter() {
        MigrationException slow = translate(s3(503, "SlowDown", "Please reduce your request rate.", "3"));
        assertThat(slow.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(slow.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(slow).hasMessageContaining("SlowDown");
        MigrationException tooMany = translate(s3(429, "TooManyRequests", null));
        assertThat(tooMany.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(tooMany.retryAfter()).isEmpty();
        for (int status : new int[] {500, 502, 503, 504}) {
            assertThat(translate(s3(status, null, null)).kind()).as("HTTP %s", status).isEqualTo(ErrorKind.TRANSIENT);
        }
        for (String code : new String[] {"RequestTimeout", "BadDigest", "XAmzContentSHA256Mismatch", "InternalError",
                "IncompleteBody"}) {
            assertThat(translate(s3(400, code, "x")).kind()).as(code).isEqualTo(ErrorKind.TRANSIENT);
        }
        assertThat(translate(s3(412, "PreconditionFailed", "changed")).kind()).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void otherAnswers() {
        assertThat(translate(s3(501, "NotImplemented", "x")).kind()).isEqualTo(ErrorKind.UNSUPPORTED);
        assertThat(translate(s3(400, "KeyTooLongError", "x")).kind()).isEqualTo(ErrorKind.USER_DATA);
        assertThat(translate(s3(400, "MetadataTooLarge", "x")).kind()).isEqualTo(ErrorKind.USER_DATA);
        assertThat(translate(s3(400, "InvalidStorageClass", "x")).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(translate(s3(400, "InvalidArgument", "weird")).kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(translate(s3(400, "InvalidRequest", "no encryption")).kind()).isEqualTo(ErrorKind.USER_DATA);
        assertThat(translate(s3(400, "InvalidRequest", "something else")).kind()).isEqualTo(ErrorKind.FATAL);
        MigrationException skew = translate(s3(403, "RequestTimeTooSkewed", "x"));
        assertThat(skew.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(skew).hasMessageContaining("clock");
    }

    @Test
    void anObjectEncryptedWithACustomerKeyReadWithoutItNamesTheOption() {
        MigrationException get = translate(s3(400, "InvalidRequest", "The object was stored using a form of Server "
                + "Side Encryption. The correct parameters must be provided to retrieve the object."));
        assertThat(get.kind()).isEqualTo(ErrorKind.USER_DATA);
        assertThat(get).hasMessageContaining("Server Side Encryption").hasMessageContaining("set sseCustomerKey");
        MigrationException head = translate(s3(400, null, null));
        assertThat(head.kind()).as("a HEAD's 400 has no code").isEqualTo(ErrorKind.USER_DATA);
        assertThat(head).hasMessageContaining("HTTP 400").hasMessageContaining("sseCustomerKey");
        MigrationException http = translate(s3(400, "InvalidRequest", "Requests specifying Server Side Encryption "
                + "with Customer provided keys must be made over a secure connection."));
        assertThat(http.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(http).hasMessageContaining("over https only");
    }

    @Test
    void wrongRegionNamesTheRightOne() {
        SdkHttpResponse response = SdkHttpResponse.builder().statusCode(301)
                .putHeader("x-amz-bucket-region", "eu-west-1").build();
        S3Exception moved = (S3Exception) S3Exception.builder().statusCode(301).awsErrorDetails(
                AwsErrorDetails.builder().errorCode("PermanentRedirect").sdkHttpResponse(response).build()).build();
        MigrationException e = translate(moved);
        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e).hasMessageContaining("set region=eu-west-1");
    }

    @Test
    void unreachableEndpointsAreUserConfigNamingTheEndpoint() {
        MigrationException refused = translate(client(new ConnectException("Connection refused")));
        assertThat(refused.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(refused).hasMessageStartingWith("cannot reach the S3 endpoint " + ENDPOINT + ": connection refused");
        MigrationException unknown = translate(client(new UnknownHostException("minio.invalid")));
        assertThat(unknown.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(unknown).hasMessageContaining("unknown host minio.invalid");
    }

    @Test
    void brokenConnectionsAndTimeoutsAreTransient() {
        assertThat(translate(client(new SocketException("Connection reset"))).kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(translate(client(new SocketTimeoutException("Read timed out"))).kind())
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(translate(client(new IOException("The target server failed to respond"))))
                .hasMessageContaining("connection problem").extracting(MigrationException::kind)
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(translate(AbortedException.create("aborted")).kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(translate(SdkClientException.create("x", new IllegalStateException(
                "Content input stream does not support mark/reset, and was already read once."))).kind())
                .isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void missingCredentialsAreUserConfig() {
        MigrationException e = translate(SdkClientException.create("Unable to load credentials from any of the "
                + "providers in the chain AwsCredentialsProviderChain"));
        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e).hasMessageContaining("no usable credentials for bucket photos");
        assertThat(translate(SdkClientException.create("something odd")).kind()).isEqualTo(ErrorKind.FATAL);
    }

    @Test
    void aMissingProfileNamesTheProfilesThereInsteadOfDumpingTheFile() {
        // the SDK's message as of 2.57 (seen with profile=nope against a credentials file holding [mig] and [old])
        MigrationException e = translate(SdkClientException.create("Profile file contained no credentials for "
                + "profile 'nope': ProfileFile(sections=[profiles, sso-session, services], profiles=[Profile(name=mig,"
                + " properties=[aws_access_key_id, aws_secret_access_key]), Profile(name=old, properties=[region])])"));
        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e).hasMessage("no usable credentials for bucket photos at " + ENDPOINT + ": Profile file contained"
                + " no credentials for profile 'nope'; profiles in the AWS config files: mig, old (set accessKeyId"
                + " and secretAccessKey, a profile, or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment)");
    }

    @Test
    void migrationExceptionsPassThrough() {
        MigrationException own = MigrationException.userData("x");
        assertThat(translate(own)).isSameAs(own);
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertThat(S3Errors.parseRetryAfter("7")).contains(Duration.ofSeconds(7));
        assertThat(S3Errors.parseRetryAfter(" 0 ")).contains(Duration.ZERO);
        assertThat(S3Errors.parseRetryAfter("-1")).isEmpty();
        assertThat(S3Errors.parseRetryAfter("soon")).isEmpty();
        DateTimeFormatter http = DateTimeFormatter.RFC_1123_DATE_TIME;
        String inAMinute = http.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
        assertThat(S3Errors.parseRetryAfter(inAMinute).orElseThrow()).isBetween(Duration.ofSeconds(50),
                Duration.ofSeconds(61));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1));
        assertThat(S3Errors.parseRetryAfter(past)).contains(Duration.ZERO);
    }

    private static MigrationException translate(Throwable e) {
        return S3Errors.translate(e, BUCKET, ENDPOINT, "stat of 'a/b'");
    }

    private static S3Exception s3(int status, String code, String message) {
        return s3(status, code, message, null);
    }

    private static S3Exception s3(int status, String code, String message, String retryAfter) {
        SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status);
        if (retryAfter != null) {
            response.putHeader("Retry-After", retryAfter);
        }
        return (S3Exception) S3Exception.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                        .sdkHttpResponse(response.build()).build()).build();
    }

    private static SdkClientException client(IOException cause) {
        return SdkClientException.builder().message("Unable to execute HTTP request: " + cause.getMessage())
                .cause(cause).build();
    }
}
