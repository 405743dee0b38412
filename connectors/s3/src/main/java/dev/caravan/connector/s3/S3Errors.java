package dev.caravan.connector.s3;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The one place where the S3 connector turns AWS SDK failures into {@link MigrationException}s, classified by
 * what the runner should do. Messages name the bucket and the endpoint, never a secret.
 *
 * <table>
 * <caption>S3 failure to ErrorKind</caption>
 * <tr><th>failure</th><th>kind</th></tr>
 * <tr><td>InvalidObjectState (403: an object of the GLACIER or DEEP_ARCHIVE class, not restored)</td>
 * <td>USER_DATA: "... is archived: restore it first"</td></tr>
 * <tr><td>400 "must be made over a secure connection" (SSE-C over http)</td><td>USER_CONFIG: use https</td></tr>
 * <tr><td>400 InvalidRequest about encryption, and 400 without an error code (a HEAD): an object encrypted with a
 * customer-provided key (SSE-C) read without it, or an object encrypted otherwise read with one</td>
 * <td>USER_DATA naming {@code sseCustomerKey}</td></tr>
 * <tr><td>403, InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied, ExpiredToken, no credentials found</td>
 * <td>USER_CONFIG: "S3 rejected the credentials for bucket X at ENDPOINT: ..."</td></tr>
 * <tr><td>NoSuchBucket</td><td>USER_CONFIG: "bucket X does not exist at ENDPOINT"</td></tr>
 * <tr><td>wrong region (301, PermanentRedirect, AuthorizationHeaderMalformed), clock skew, bad storage class,
 * unknown host, connection refused, untrusted TLS certificate</td><td>USER_CONFIG naming what to change (a connection
 * refused by an endpoint that answered a moment ago is an outage: S3ObjectStore#fail, EndpointOutage)</td></tr>
 * <tr><td>NoSuchKey, NoSuchUpload, 404</td><td>NOT_FOUND</td></tr>
 * <tr><td>500, 502, 503, 504, 429, SlowDown, RequestTimeout, BadDigest, XAmzContentSHA256Mismatch (a body damaged
 * on the way), 412 (changed meanwhile), connection reset,
 * read timeout, interrupted</td><td>TRANSIENT, with the server's Retry-After when it sent one</td></tr>
 * <tr><td>501 NotImplemented</td><td>UNSUPPORTED (the caller uses the capability's fallback)</td></tr>
 * <tr><td>KeyTooLongError, MetadataTooLarge, EntityTooLarge, InvalidObjectName</td><td>USER_DATA</td></tr>
 * <tr><td>anything else</td><td>FATAL</td></tr>
 * </table>
 */
final class S3Errors {
    private static final Pattern PROFILE_NAME = Pattern.compile("Profile\\(name=([^,)]+)");

    private static final Set<String> CREDENTIALS = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "AccessDenied", "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "AllAccessDisabled",
            "AccountProblem", "InvalidSecurity", "InvalidClientTokenId", "UnrecognizedClientException");
    private static final Set<String> TRANSIENT = Set.of("SlowDown", "RequestTimeout", "InternalError",
            "ServiceUnavailable", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests",
            "BadDigest", "XAmzContentSHA256Mismatch", "IncompleteBody", "PreconditionFailed", "OperationAborted",
            "RequestTimeoutException");
    private static final Set<String> USER_DATA = Set.of("KeyTooLongError", "MetadataTooLarge", "EntityTooLarge",
            "InvalidObjectName");
    private static final Set<String> WRONG_REGION = Set.of("PermanentRedirect", "AuthorizationHeaderMalformed",
            "IllegalLocationConstraintException");
    private static final Set<String> BAD_CONFIG = Set.of("InvalidStorageClass", "InvalidBucketName",
            "InvalidLocationConstraint", "TooManyBuckets");

    private S3Errors() {
    }

    /**
     * Translates a failure of an operation.
     *
     * @param e        what the SDK (or an I/O call) threw
     * @param bucket   the store's bucket
     * @param endpoint the endpoint as the user configured it
     * @param what     the operation and key, e.g. {@code "stat of 'a/b'"}
     */
    static MigrationException translate(Throwable e, String bucket, String endpoint, String what) {
        if (e instanceof MigrationException m) {
            return m;
        }
        if (e instanceof SdkServiceException s) {
            return service(s, bucket, endpoint, what);
        }
        return client(e, bucket, endpoint, what);
    }

    /**
     * A failure of {@code what}, an operation that needs {@code permission} (e.g. {@code s3:DeleteObject}): when S3
     * denied it (AccessDenied: valid credentials whose IAM or bucket policy does not allow the request), USER_CONFIG
     * naming the operation and the permission, so a user given credentials that may write but not delete reads what
     * to grant; any other failure as it was.
     */
    static MigrationException needing(MigrationException e, String bucket, String endpoint, String what,
            String permission) {
        if (!isAccessDenied(e.getCause())) {
            return e;
        }
        String detail = ((AwsServiceException) e.getCause()).awsErrorDetails().errorMessage();
        return new MigrationException(ErrorKind.USER_CONFIG, "S3 at " + endpoint + " denied " + what + " in bucket "
                + bucket + " (AccessDenied" + (detail == null || detail.isBlank() ? "" : ": " + detail)
                + "): the credentials lack " + permission + " (IAM or bucket policy), which this needs",
                e.getCause());
    }

    /** Whether S3 answered AccessDenied: a policy does not allow the request, the credentials themselves are valid. */
    static boolean isAccessDenied(Throwable e) {
        return e instanceof AwsServiceException a && a.awsErrorDetails() != null
                && "AccessDenied".equals(a.awsErrorDetails().errorCode());
    }

    /**
     * An upload refused with SignatureDoesNotMatch while it carried a content type with parameters: S3Proxy, and other
     * servers built on Jetty, rewrite some of them after the request was signed ({@code text/html; charset=utf-8}
     * becomes {@code text/html;charset=UTF-8}), so the server's signature differs from the client's for these
     * uploads only. USER_DATA naming the content type and the way round it (the run goes on with the other objects);
     * any other failure as it was.
     */
    static MigrationException forUpload(MigrationException e, String key, String contentType) {
        if (contentType == null || contentType.indexOf(';') < 0 || e.kind() != ErrorKind.USER_CONFIG
                || !(e.getCause() instanceof AwsServiceException a) || a.awsErrorDetails() == null
                || !"SignatureDoesNotMatch".equals(a.awsErrorDetails().errorCode())) {
            return e;
        }
        return new MigrationException(ErrorKind.USER_DATA, "the server refused the signature of the upload of '" + key
                + "', which carried the content type '" + contentType + "': S3Proxy and other servers built on"
                + " Jetty rewrite some content types with a charset after the request is signed (AWS S3 does not), so"
                + " only such uploads fail, and --metadata-rule drop:contentType writes objects without their content"
                + " type (the server's answer: SignatureDoesNotMatch"
                + (a.awsErrorDetails().errorMessage() == null ? "" : ": " + a.awsErrorDetails().errorMessage()) + ")",
                e);
    }

    private static MigrationException service(SdkServiceException e, String bucket, String endpoint, String what) {
        int status = e.statusCode();
        String code = null;
        String text = null;
        SdkHttpResponse response = null;
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            code = a.awsErrorDetails().errorCode();
            text = a.awsErrorDetails().errorMessage();
            response = a.awsErrorDetails().sdkHttpResponse();
        }
        String detail = (code != null ? code : "HTTP " + status) + (text != null && !text.isBlank() ? ": " + text : "");
        Duration retryAfter = response == null ? null : retryAfter(response).orElse(null);
        if ("NoSuchBucket".equals(code)) {
            return new MigrationException(ErrorKind.USER_CONFIG, "bucket " + bucket + " does not exist at " + endpoint
                    + " (check the bucket name and endpoint; for a target, createBucket=true creates it)", e);
        }
        if ("RequestTimeTooSkewed".equals(code)) {
            return new MigrationException(ErrorKind.USER_CONFIG, "S3 at " + endpoint + " refused the request because "
                    + "this machine's clock is off by more than 15 minutes; fix the clock (NTP): " + detail, e);
        }
        if (is(WRONG_REGION, code) || status == 301) {
            String region = response == null ? null
                    : response.firstMatchingHeader("x-amz-bucket-region").orElse(null);
            return new MigrationException(ErrorKind.USER_CONFIG, "bucket " + bucket + " at " + endpoint + " is in "
                    + (region != null ? "region " + region + ": set region=" + region
                    : "another region than the one configured: set the region option") + " (" + detail + ")", e);
        }
        if ("InvalidObjectState".equals(code)) {
            return new MigrationException(ErrorKind.USER_DATA, what + ": the object is archived (storage class "
                    + "GLACIER or DEEP_ARCHIVE, or an archive tier of INTELLIGENT_TIERING) and not restored in bucket "
                    + bucket + "; restore it first (S3 RestoreObject) or leave it out with an exclude filter ("
                    + detail + ")", e);
        }
        if (status == 400 && text != null && text.toLowerCase(Locale.ROOT).contains("secure connection")) {
            return new MigrationException(ErrorKind.USER_CONFIG, "S3 at " + endpoint + " takes customer-provided "
                    + "keys (sseCustomerKey, SSE-C) over https only: use an https endpoint (" + detail + ")", e);
        }
        if (status == 400 && (code == null || "InvalidRequest".equals(code) && text != null
                && text.toLowerCase(Locale.ROOT).contains("encrypt"))) {
            // a GET says why; a HEAD has no body: a 400 without a code is how S3 answers one for an SSE-C object
            return new MigrationException(ErrorKind.USER_DATA, what + ": refused by S3 (" + detail + "); an object "
                    + "encrypted with a customer-provided key (SSE-C) is read only with that key: set sseCustomerKey "
                    + "to it, and leave it unset for objects encrypted otherwise", e);
        }
        if (is(CREDENTIALS, code) || status == 403 || status == 401) {
            return new MigrationException(ErrorKind.USER_CONFIG, "S3 rejected the credentials for bucket " + bucket
                    + " at " + endpoint + ": " + detail + " (check accessKeyId/secretAccessKey or the profile, and "
                    + "that they may access this bucket)", e);
        }
        if ("NoSuchKey".equals(code) || "NoSuchUpload".equals(code) || status == 404) {
            return new MigrationException(ErrorKind.NOT_FOUND, what + ": not found in bucket " + bucket + " ("
                    + detail + ")", e);
        }
        if (is(TRANSIENT, code) || status == 429 || status == 412 || status >= 500 && status != 501) {
            return new MigrationException(ErrorKind.TRANSIENT, what + " failed at " + endpoint + ", worth a retry: "
                    + detail, e, retryAfter);
        }
        if ("NotImplemented".equals(code) || status == 501) {
            return new MigrationException(ErrorKind.UNSUPPORTED, what + ": not supported by the S3 server at "
                    + endpoint + " (" + detail + ")", e);
        }
        if (is(USER_DATA, code)) {
            return new MigrationException(ErrorKind.USER_DATA, what + ": refused by S3 (" + detail + ")", e);
        }
        if (is(BAD_CONFIG, code)) {
            return new MigrationException(ErrorKind.USER_CONFIG, what + ": refused by S3 at " + endpoint + " ("
                    + detail + "); check the store's options", e);
        }
        return new MigrationException(ErrorKind.FATAL, what + " failed at " + endpoint + ": " + detail, e);
    }

    private static MigrationException client(Throwable e, String bucket, String endpoint, String what) {
        boolean interrupted = has(e, InterruptedException.class)
                || has(e, InterruptedIOException.class) && !has(e, SocketTimeoutException.class);
        if (interrupted || e instanceof AbortedException) {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return new MigrationException(ErrorKind.TRANSIENT, what + " was interrupted", e);
        }
        UnknownHostException unknown = find(e, UnknownHostException.class);
        if (unknown != null) {
            return new MigrationException(ErrorKind.USER_CONFIG, "cannot reach the S3 endpoint " + endpoint
                    + ": unknown host " + unknown.getMessage() + " (check the endpoint and region options)", e);
        }
        if (has(e, NoRouteToHostException.class) || has(e, PortUnreachableException.class)
                || find(e, ConnectException.class) != null && !has(e, SocketTimeoutException.class)) {
            return new MigrationException(ErrorKind.USER_CONFIG, "cannot reach the S3 endpoint " + endpoint
                    + ": connection refused (is the server running? check the endpoint option)", e);
        }
        if (has(e, SSLHandshakeException.class)) {
            return new MigrationException(ErrorKind.USER_CONFIG, "TLS handshake with the S3 endpoint " + endpoint
                    + " failed (is its certificate trusted by this JVM?): " + rootMessage(e), e);
        }
        if (has(e, IOException.class) || e instanceof UncheckedIOException) {
            return new MigrationException(ErrorKind.TRANSIENT, what + ": connection problem with " + endpoint
                    + ", worth a retry: " + rootMessage(e), e);
        }
        String message = String.valueOf(e.getMessage());
        String lower = chainMessages(e).toLowerCase(Locale.ROOT);
        if (lower.contains("unable to load credentials") || lower.contains("profile file contained no credentials")
                || lower.contains("credentials") && lower.contains("profile")) {
            return new MigrationException(ErrorKind.USER_CONFIG, "no usable credentials for bucket " + bucket + " at "
                    + endpoint + ": " + withoutProfileDump(message) + " (set accessKeyId and secretAccessKey, a "
                    + "profile, or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment)", e);
        }
        if (lower.contains("mark/reset") || lower.contains("already read")) {
            return new MigrationException(ErrorKind.TRANSIENT, what + ": the request failed after its data was "
                    + "sent and cannot be replayed; the whole transfer must be retried: " + message, e);
        }
        return new MigrationException(ErrorKind.FATAL, what + " failed: " + message, e);
    }

    /** The server's Retry-After hint (seconds or an HTTP date), if the response carries one. */
    static Optional<Duration> retryAfter(SdkHttpResponse response) {
        return response.firstMatchingHeader("Retry-After").flatMap(S3Errors::parseRetryAfter);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(Instant.now(), when);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static boolean is(Set<String> codes, String code) {
        return code != null && codes.contains(code);
    }

    /**
     * Whether the request got no answer in time: a connect or read timeout, or the SDK's own limit on a call or an
     * attempt.
     */
    static boolean timedOut(Throwable e) {
        return has(e, SocketTimeoutException.class) || has(e, ApiCallTimeoutException.class)
                || has(e, ApiCallAttemptTimeoutException.class);
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        return find(e, type) != null;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String chainMessages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /**
     * The SDK's message for a missing profile without the dump of the whole profile file that it appends
     * ({@code ProfileFile(sections=[...], profiles=[Profile(name=a, properties=[...])])}): the names of the profiles
     * found instead.
     */
    static String withoutProfileDump(String message) {
        int dump = message.indexOf(": ProfileFile(");
        if (dump < 0) {
            return message;
        }
        List<String> names = new ArrayList<>();
        Matcher m = PROFILE_NAME.matcher(message.substring(dump));
        while (m.find()) {
            names.add(m.group(1));
        }
        return message.substring(0, dump) + (names.isEmpty() ? "; the AWS config files define no profile"
                : "; profiles in the AWS config files: " + String.join(", ", names));
    }
}
