package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.UnexpectedLengthException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.storage.blob.models.BlobStorageException;
import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link AzureBlobErrors}: every class of failure, without a network. */
class AzureBlobErrorsTest {
    private static final AzureBlobErrors ERRORS = new AzureBlobErrors(new AzureBlobErrors.Where("acct",
            "https://acct.blob.core.windows.net", "box"), Duration.ofSeconds(60));

    /** A canned HTTP response: a status and headers, no body. */
    private static final class Canned extends HttpResponse {
        private final int status;
        private final HttpHeaders headers = new HttpHeaders();

        Canned(int status, Map<String, String> headers) {
            super(new HttpRequest(HttpMethod.GET, "https://acct.blob.core.windows.net/box/x"));
            this.status = status;
            headers.forEach(this.headers::set);
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @SuppressWarnings("deprecation")
        public String getHeaderValue(String name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.empty();
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.empty();
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.empty();
        }
    }

    private static BlobStorageException azure(int status, String code, String... headers) {
        Map<String, String> h = new java.util.HashMap<>();
        if (code != null) {
            h.put("x-ms-error-code", code);
        }
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return new BlobStorageException("Status code " + status + ", " + code, new Canned(status, h), null);
    }

    private static MigrationException translate(Throwable e) {
        return ERRORS.translate(e, "reading 'k'");
    }

    @Test
    void badCredentialsAreUserConfigNamingAccountAndEndpoint() {
        MigrationException e = translate(azure(403, "AuthenticationFailed"));
        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e.getMessage()).contains("Azure rejected the credentials for account acct at "
                + "https://acct.blob.core.windows.net");
        assertThat(translate(azure(403, null)).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(translate(azure(401, "InvalidAuthenticationInfo")).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        MigrationException permission = translate(azure(403, "AuthorizationPermissionMismatch"));
        assertThat(permission.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(permission.getMessage()).contains("Azure rejected the credentials").contains("lack a permission");
        MigrationException azurite = translate(azure(403, "AuthorizationFailure")); // Azurite's answer to a wrong key
        assertThat(azurite.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(azurite.getMessage()).contains("Azure rejected the credentials for account acct")
                .contains("wrong or expired");
    }

    @Test
    void missingContainerNamedAfterTheAccountSaysHowToWriteTheLocation() {
        // azblob:acct/box reads 'acct' as the container: the account belongs in azblob://acct/box
        AzureBlobErrors errors = new AzureBlobErrors(new AzureBlobErrors.Where("acct",
                "https://acct.blob.core.windows.net", "acct"), Duration.ofSeconds(60));
        MigrationException e = errors.translate(azure(404, "ContainerNotFound"), "listing");
        assertThat(e.getMessage()).contains("container 'acct' does not exist")
                .contains("azblob:CONTAINER/PREFIX").contains("azblob://acct/CONTAINER/PREFIX");
        assertThat(translate(azure(404, "ContainerNotFound")).getMessage()).doesNotContain("azblob://");
    }

    @Test
    void missingContainerIsUserConfigButNotFoundForListings() {
        MigrationException e = translate(azure(404, "ContainerNotFound"));
        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e.getMessage()).contains("container 'box' does not exist").contains("createContainer=true");
        assertThat(ERRORS.translateListing(azure(404, "ContainerNotFound"), "listing").kind())
                .isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(AzureBlobErrors.isContainerNotFound(azure(404, "ContainerNotFound"))).isTrue();
        assertThat(AzureBlobErrors.isBlobNotFound(azure(404, "ContainerNotFound"))).isFalse();
    }

    @Test
    void missingBlobIsNotFound() {
        assertThat(translate(azure(404, "BlobNotFound")).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(AzureBlobErrors.isBlobNotFound(azure(404, "BlobNotFound"))).isTrue();
        assertThat(AzureBlobErrors.isBlobNotFound(azure(404, null))).isTrue();
        assertThat(translate(azure(400, "InvalidBlockList")).kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void unknownAccountIsUserConfig() {
        assertThat(translate(azure(404, "ResourceNotFound")).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(translate(azure(403, "AccountIsDisabled")).kind()).isEqualTo(ErrorKind.USER_CONFIG);
    }

    @Test
    void busyServersAreTransientWithTheirRetryAfter() {
        for (int status : new int[] {500, 502, 503, 504, 429, 408}) {
            assertThat(translate(azure(status, null)).kind()).as("HTTP %d", status).isEqualTo(ErrorKind.TRANSIENT);
        }
        MigrationException busy = translate(azure(503, "ServerBusy", "Retry-After", "7"));
        assertThat(busy.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(busy.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(translate(azure(500, "OperationTimedOut", "x-ms-retry-after-ms", "1500")).retryAfter())
                .contains(Duration.ofMillis(1500));
        assertThat(translate(azure(500, "InternalError")).retryAfter()).isEmpty();
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        Duration fromDate = translate(azure(429, null, "Retry-After", date)).retryAfter().orElseThrow();
        assertThat(fromDate).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31));
        assertThat(translate(azure(412, "ConditionNotMet")).kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(translate(azure(409, "ContainerBeingDeleted")).kind()).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void objectsTheServiceRefusesAreUserData() {
        for (String code : new String[] {"InvalidResourceName", "InvalidMetadata", "MetadataTooLarge",
                "LeaseIdMissing", "BlobArchived"}) {
            assertThat(translate(azure(code.startsWith("Lease") ? 409 : 400, code)).kind()).as(code)
                    .isEqualTo(ErrorKind.USER_DATA);
        }
        assertThat(translate(azure(413, "RequestBodyTooLarge")).kind()).isEqualTo(ErrorKind.USER_DATA);
        // a delete of a leased blob answers 412: not "busy" (it was retried six times), the lease is held
        MigrationException leased = translate(azure(412, "LeaseIdMissing"));
        assertThat(leased.kind()).isEqualTo(ErrorKind.USER_DATA);
        assertThat(leased).hasMessageContaining("the blob has an active lease");
    }

    @Test
    void anArchivedBlobSaysToRehydrateIt() {
        MigrationException archived = translate(azure(409, "BlobArchived"));
        assertThat(archived.kind()).isEqualTo(ErrorKind.USER_DATA);
        assertThat(archived).hasMessageStartingWith("reading 'k': the blob is in the Archive access tier: rehydrate it")
                .hasMessageContaining("account acct");
        assertThat(translate(azure(409, "BlobBeingRehydrated"))).hasMessageContaining("being rehydrated")
                .extracting(MigrationException::kind).isEqualTo(ErrorKind.USER_DATA);
    }

    @Test
    void theServiceWordsAreTakenOutOfItsXmlErrorBody() {
        String message = "Status code 409, \"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Error>"
                + "<Code>LeaseIdMissing</Code><Message>There is currently a lease on the blob.\nRequestId:1f2e"
                + "\nTime:2026-11-28T01:00:00Z</Message></Error>\"";
        assertThat(AzureBlobErrors.serviceMessage(message)).isEqualTo("There is currently a lease on the blob.");
        assertThat(AzureBlobErrors.serviceMessage("Status code 405, plain\nsecond")).isEqualTo("Status code 405, plain");
        assertThat(AzureBlobErrors.serviceMessage(null)).isEmpty();
    }

    @Test
    void otherServiceErrorsAreFatal() {
        assertThat(translate(azure(400, "UnsupportedQueryParameter")).kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(translate(azure(405, null)).kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(translate(new IllegalStateException("surprise")).kind()).isEqualTo(ErrorKind.FATAL);
    }

    @Test
    void anEndpointFromAConnectionStringIsToBeCheckedThere() {
        AzureBlobErrors errors = new AzureBlobErrors(new AzureBlobErrors.Where("acct",
                "http://127.0.0.1:18019/acct", "box", null, true), Duration.ofSeconds(60));
        MigrationException refused = errors.translate(new RuntimeException(new ConnectException()), "listing ''");
        assertThat(refused.getMessage()).contains("cannot connect to http://127.0.0.1:18019/acct",
                "check the connectionString option (its BlobEndpoint) and that the service is running")
                .doesNotContain("endpoint option");
        MigrationException unknown = errors.translate(new RuntimeException(new UnknownHostException("h")),
                "listing ''");
        assertThat(unknown.getMessage()).contains("check the connectionString option (its BlobEndpoint, or "
                + "AccountName and EndpointSuffix)").doesNotContain("endpoint option");
        assertThat(translate(new RuntimeException(new ConnectException())).getMessage())
                .contains("check the endpoint option and that the service is running");
    }

    @Test
    void refusedConnectionsAndUnknownHostsAreUserConfigNamingTheEndpoint() {
        MigrationException refused = translate(new RuntimeException(new ConnectException()));
        assertThat(refused.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(refused.getMessage()).contains("cannot connect to https://acct.blob.core.windows.net")
                .contains("connection refused");
        ConnectException jdkStyle = new ConnectException();
        jdkStyle.initCause(new ClosedChannelException());
        assertThat(translate(new RuntimeException(jdkStyle)).kind()).isEqualTo(ErrorKind.USER_CONFIG);

        ConnectException unresolved = new ConnectException();
        unresolved.initCause(new UnresolvedAddressException());
        MigrationException host = translate(new RuntimeException(unresolved));
        assertThat(host.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(host.getMessage()).contains("cannot resolve the host of https://acct.blob.core.windows.net");
        assertThat(translate(new UncheckedIOException(new UnknownHostException("nohost"))).kind())
                .isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(translate(new RuntimeException(new SSLHandshakeException("bad cert"))).kind())
                .isEqualTo(ErrorKind.USER_CONFIG);
    }

    @Test
    void droppedAndSlowConnectionsAreTransient() {
        assertThat(translate(new UncheckedIOException(new IOException("Connection reset"))).kind())
                .isEqualTo(ErrorKind.TRANSIENT);
        // a service that has answered this store a moment ago: a request left without an answer is worth a retry
        AzureBlobErrors answered = new AzureBlobErrors(new AzureBlobErrors.Where("acct2",
                "https://acct2.blob.core.windows.net", "box"), Duration.ofSeconds(60));
        EndpointOutage.of("https://acct2.blob.core.windows.net:443").answered();
        assertThat(answered.translate(new RuntimeException(new SocketTimeoutException("read timed out")), "reading")
                .kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(answered.translate(new RuntimeException(new HttpConnectTimeoutException("connect timed out")),
                "reading").kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(translate(new UnexpectedLengthException("short", 3, 5)).kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(AzureBlobErrors.readingSource("k", new IOException("pipe broke")).kind())
                .isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void aServiceThatNeverAnsweredThisStoreAndTimesOutIsAConfigurationProblem() {
        MigrationException read = translate(new RuntimeException(new SocketTimeoutException("read timed out")));
        assertThat(read.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(read.getMessage()).contains("the Azure endpoint https://acct.blob.core.windows.net did not answer"
                + " in time while").contains("requestTimeout 60 s").contains("hung or overloaded");
        MigrationException connect = translate(new RuntimeException(new HttpConnectTimeoutException("timed out")));
        assertThat(connect.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(connect.getMessage()).contains("took no connection in time");
    }

    @Test
    void migrationExceptionsPassThroughUnchanged() {
        MigrationException original = MigrationException.userData("already translated");
        assertThat(translate(original)).isSameAs(original);
    }

    @Test
    void invalidRangeIsRecognised() {
        assertThat(AzureBlobErrors.isInvalidRange(azure(416, "InvalidRange"))).isTrue();
        assertThat(AzureBlobErrors.isInvalidRange(azure(404, "BlobNotFound"))).isFalse();
    }
}
