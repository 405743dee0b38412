package dev.caravan.connector.azureblob;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.UnexpectedLengthException;
import com.azure.core.http.HttpResponse;
import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The one place where the Azure Blob connector turns SDK and transport exceptions into {@link MigrationException}s.
 * Every message names the account and endpoint (never a secret). The classification, by what the runner should do:
 *
 * <table>
 * <caption>Azure failure to ErrorKind</caption>
 * <tr><th>failure</th><th>kind</th></tr>
 * <tr><td>401, 403 (AuthenticationFailed, AuthorizationFailure, permission mismatch, disabled account)</td>
 * <td>USER_CONFIG: fix the credentials or their permissions</td></tr>
 * <tr><td>404 ContainerNotFound, ResourceNotFound (no such account)</td><td>USER_CONFIG; {@code NOT_FOUND} for
 * listings, whose SPI says a missing root is NOT_FOUND</td></tr>
 * <tr><td>404 BlobNotFound; 400 InvalidBlockList (staged blocks expired or were discarded)</td>
 * <td>NOT_FOUND</td></tr>
 * <tr><td>400 invalid blob name, metadata or header value; 413; 409 or 412 lease, tier, immutability and blob-type
 * conflicts</td><td>USER_DATA: this object cannot be written as it is</td></tr>
 * <tr><td>409 BlobArchived, BlobBeingRehydrated (a blob in the Archive tier)</td><td>USER_DATA: rehydrate it
 * first</td></tr>
 * <tr><td>408, 429, 500, 502, 503, 504, ServerBusy, OperationTimedOut, InternalError, 409 container being deleted
 * or pending copy, 412 (changed meanwhile); reset or timed-out connections</td><td>TRANSIENT, with the service's
 * Retry-After ({@code Retry-After} seconds or date, {@code x-ms-retry-after-ms}) when given</td></tr>
 * <tr><td>connection refused, unknown host, TLS handshake failure</td><td>USER_CONFIG naming the endpoint (a
 * connection refused by a service that answered a moment ago is an outage: {@link EndpointOutage})</td></tr>
 * <tr><td>anything else</td><td>FATAL</td></tr>
 * </table>
 */
final class AzureBlobErrors {
    private static final Set<String> CREDENTIALS = Set.of("AuthenticationFailed", "InvalidAuthenticationInfo",
            "NoAuthenticationInformation");
    private static final Set<String> BAD_DATA = Set.of("InvalidResourceName", "InvalidMetadata", "MetadataTooLarge",
            "InvalidHeaderValue", "OutOfRangeInput", "InvalidUri", "RequestBodyTooLarge", "InvalidBlobTier",
            "LeaseIdMissing", "LeaseAlreadyPresent", "LeaseIdMismatchWithBlobOperation", "BlobArchived",
            "BlobBeingRehydrated", "BlobImmutableDueToPolicy", "InvalidBlobType", "BlobTierInadequateForContentLength",
            "BlobOverwritten", "BlobUsesCustomerSpecifiedEncryption", "UnsupportedHeader", "InvalidBlockId");
    private static final Set<String> BUSY = Set.of("ServerBusy", "OperationTimedOut", "InternalError",
            "ContainerBeingDeleted", "PendingCopyOperation", "ConditionNotMet", "TargetConditionNotMet",
            "SourceConditionNotMet");
    private static final Set<Integer> BUSY_STATUS = Set.of(408, 412, 429, 500, 502, 503, 504);

    /**
     * Where a failure happened, for the messages.
     *
     * @param account   storage account name
     * @param endpoint  blob service URL, without any SAS
     * @param container container name
     * @param sas       what the SAS of the credentials tells (no secret), or {@code null} without a SAS
     * @param connectionString whether the endpoint comes from the {@code connectionString} option (then that is
     *                  what to check when it cannot be reached), not from {@code endpoint} or {@code account}
     */
    record Where(String account, String endpoint, String container, SasFacts sas, boolean connectionString) {
        Where(String account, String endpoint, String container) {
            this(account, endpoint, container, null, false);
        }
    }

    private final Where where;
    /** The service's outage watch, and this store's mark on it (when it was opened). */
    private final EndpointOutage outage;
    private final long openedAt;
    /** How long a request waits for its answer (the store's {@code requestTimeout}). */
    private final Duration requestTimeout;

    AzureBlobErrors(Where where, Duration requestTimeout) {
        this.where = where;
        this.requestTimeout = requestTimeout;
        this.outage = outageOf(where.endpoint());
        this.openedAt = outage == null ? 0 : outage.mark();
    }

    Where where() {
        return where;
    }

    /** Translates a failure of {@code what} (e.g. {@code "reading 'a/b'"}). */
    MigrationException translate(Throwable e, String what) {
        return translate(e, what, false);
    }

    /** Translates a failure of a listing: a missing container is {@code NOT_FOUND}, as the SPI asks. */
    MigrationException translateListing(Throwable e, String what) {
        return translate(e, what, true);
    }

    /** A failure while reading the data handed to a put: the source's problem, so worth a retry. */
    static MigrationException readingSource(String key, Throwable e) {
        if (e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
        }
        return new MigrationException(ErrorKind.TRANSIENT, "reading the data to write to '" + key + "' failed: "
                + e.getMessage(), e);
    }

    /** Whether the failure is Azure's 404 of a missing blob. */
    static boolean isBlobNotFound(Throwable e) {
        HttpResponseException http = find(e, HttpResponseException.class);
        return http != null && status(http) == 404 && !"ContainerNotFound".equals(code(http))
                && !"ResourceNotFound".equals(code(http));
    }

    /**
     * Whether the failure is Azure's 403 AuthorizationPermissionMismatch: valid credentials that lack a permission
     * the request needs (a SAS without d, a role without delete).
     */
    static boolean isPermissionMismatch(Throwable e) {
        HttpResponseException http = find(e, HttpResponseException.class);
        return http != null && status(http) == 403 && "AuthorizationPermissionMismatch".equals(code(http));
    }

    /** Whether the failure is Azure's 404 of a missing container. */
    static boolean isContainerNotFound(Throwable e) {
        HttpResponseException http = find(e, HttpResponseException.class);
        return http != null && "ContainerNotFound".equals(code(http));
    }

    /** Whether the failure is HTTP 416, a range that starts at or beyond the end of the blob. */
    static boolean isInvalidRange(Throwable e) {
        HttpResponseException http = find(e, HttpResponseException.class);
        return http != null && status(http) == 416;
    }

    /** A refused connection as {@link EndpointOutage} sees it: an outage once the service has answered this store. */
    private MigrationException outage(MigrationException wrongEndpoint, String what) {
        return outage == null ? wrongEndpoint : outage.refused(wrongEndpoint, what, openedAt);
    }

    /**
     * A request that got no answer in time: when the service has not answered this store since it was opened, a
     * configuration problem said at once (a hung service or a wrong address; before, four minutes of silence and a
     * "network failure"); when it has, but has answered nothing at all for the request timeout, an outage
     * ({@link EndpointOutage#unanswered}); else a transient failure, retried.
     */
    private MigrationException unanswered(Throwable e, String what) {
        boolean connecting = find(e, HttpConnectTimeoutException.class) != null;
        if (outage != null && !outage.answeredSince(openedAt)) {
            return new MigrationException(ErrorKind.USER_CONFIG, "the Azure endpoint " + where.endpoint()
                    + (connecting ? " took no connection" : " did not answer") + " in time while " + what
                    + " (requestTimeout " + requestTimeout.toSeconds() + " s): is the service hung or overloaded, or"
                    + " is this not its address and port? (the options connectTimeout and requestTimeout set the"
                    + " waits)", e);
        }
        MigrationException transientFailure = new MigrationException(ErrorKind.TRANSIENT, (connecting
                ? "connecting to " + where.endpoint() + " timed out while " : "no answer from " + where.endpoint()
                + " in time while ") + what, e);
        return outage == null ? transientFailure
                : outage.unanswered(transientFailure, what, openedAt, requestTimeout);
    }

    /** Whether the failure is a request or connection that timed out waiting for the service. */
    static boolean timedOut(Throwable e) {
        return find(e, BlockingHttpClient.FirstAnswerTimeout.class) != null
                || find(e, SocketTimeoutException.class) != null || find(e, HttpTimeoutException.class) != null
                || find(e, TimeoutException.class) != null;
    }

    private static EndpointOutage outageOf(String endpoint) {
        try {
            return EndpointOutage.ofServer(new java.net.URL(endpoint));
        } catch (java.net.MalformedURLException bad) {
            return null;
        }
    }

    private MigrationException translate(Throwable e, String what, boolean listing) {
        if (e instanceof MigrationException me) {
            return me;
        }
        HttpResponseException http = find(e, HttpResponseException.class);
        if (http != null) {
            return http(http, what, listing);
        }
        String account = "account " + where.account() + " at " + where.endpoint();
        if (find(e, UnknownHostException.class) != null || find(e, UnresolvedAddressException.class) != null) {
            return new MigrationException(ErrorKind.USER_CONFIG, "cannot resolve the host of " + where.endpoint()
                    + " while " + what + ": check " + (where.connectionString()
                            ? "the connectionString option (its BlobEndpoint, or AccountName and EndpointSuffix)"
                            : "the endpoint option (or the account name)"), e);
        }
        if (timedOut(e)) {
            return unanswered(e, what);
        }
        if (find(e, ConnectException.class) != null) {
            MigrationException wrong = new MigrationException(ErrorKind.USER_CONFIG, "cannot connect to "
                    + where.endpoint() + " while " + what + " (connection refused): check " + (where.connectionString()
                            ? "the connectionString option (its BlobEndpoint)" : "the endpoint option")
                    + " and that the service is running", e);
            return outage(wrong, what); // unless the service answered a moment ago (restarting)
        }
        if (find(e, SSLException.class) != null) {
            return new MigrationException(ErrorKind.USER_CONFIG, "TLS handshake with " + where.endpoint()
                    + " failed while " + what + ": " + find(e, SSLException.class).getMessage(), e);
        }
        if (find(e, UnexpectedLengthException.class) != null) {
            return new MigrationException(ErrorKind.TRANSIENT, "the data for " + what + " had another length than "
                    + "announced (changed while copying?)", e);
        }
        if (find(e, InterruptedException.class) != null || interruptedIo(e)) {
            Thread.currentThread().interrupt();
            return new MigrationException(ErrorKind.TRANSIENT, "interrupted while " + what + " on " + account, e);
        }
        if (find(e, IOException.class) != null || find(e, TimeoutException.class) != null
                || e instanceof UncheckedIOException) {
            Throwable io = find(e, IOException.class);
            return new MigrationException(ErrorKind.TRANSIENT, "network failure while " + what + " on " + account
                    + ": " + describe(io == null ? e : io), e);
        }
        return new MigrationException(ErrorKind.FATAL, "unexpected failure while " + what + " on " + account + ": "
                + describe(e), e);
    }

    /**
     * For a missing container named as the account: the location was most likely written azblob:ACCOUNT/CONTAINER,
     * whose first segment is the container; else empty.
     */
    private String accountAsContainerHint() {
        return where.container() == null || !where.container().equalsIgnoreCase(where.account()) ? ""
                : "; the first segment of azblob:CONTAINER/PREFIX is the container: to name the account, write azblob://"
                        + where.account() + "/CONTAINER/PREFIX";
    }

    private MigrationException http(HttpResponseException e, String what, boolean listing) {
        int status = status(e);
        String code = code(e);
        String known = code == null ? "" : code; // Set.of(...).contains(null) throws
        String account = "account " + where.account() + " at " + where.endpoint();
        String detail = " (HTTP " + status + (code == null ? "" : " " + code) + ")";
        if (status == 401 || status == 403) {
            String told = where.sas() == null ? null : where.sas().explain(known, java.time.Instant.now());
            String hint = told != null ? told : code == null || CREDENTIALS.contains(known)
                    ? "check accountKey, sasToken or connectionString (a SAS may have expired)"
                    : "AuthorizationFailure".equals(code)
                    ? "the key or SAS is wrong or expired, or the account's network rules or the SAS do not allow this"
                    : "the credentials lack a permission this needs";
            return new MigrationException(ErrorKind.USER_CONFIG, "Azure rejected the credentials for account "
                    + where.account() + " at " + where.endpoint() + " while " + what + detail + ": " + hint, e);
        }
        if ("ContainerNotFound".equals(code)) {
            String message = "container '" + where.container() + "' does not exist in " + account
                    + " (create it, or set createContainer=true on a target)" + accountAsContainerHint();
            return new MigrationException(listing ? ErrorKind.NOT_FOUND : ErrorKind.USER_CONFIG, message, e);
        }
        if ("ResourceNotFound".equals(code) || "AccountIsDisabled".equals(code)) {
            return new MigrationException(ErrorKind.USER_CONFIG, account + " was not found or is disabled while "
                    + what + detail + ": check the account and endpoint options", e);
        }
        if (status == 404 || "InvalidBlockList".equals(code)) {
            return new MigrationException(ErrorKind.NOT_FOUND, "not found while " + what + " in container '"
                    + where.container() + "' of " + account + detail, e);
        }
        if (known.startsWith("Lease")) { // a lease is held, whatever the status (409, or 412)
            return new MigrationException(ErrorKind.USER_DATA, what + ": the blob has an active lease (another"
                    + " application holds it): release or break the lease, or leave the blob out with an exclude"
                    + " filter (" + account + detail + ")", e);
        }
        if (BUSY.contains(known) || BUSY_STATUS.contains(status)) {
            return new MigrationException(ErrorKind.TRANSIENT, account + " is busy or the object changed while "
                    + what + detail, e, retryAfter(e.getResponse()));
        }
        if ("BlobArchived".equals(code) || "BlobBeingRehydrated".equals(code)) {
            return new MigrationException(ErrorKind.USER_DATA, what + ": the blob is in the Archive access tier"
                    + ("BlobArchived".equals(code) ? ": rehydrate it to Hot or Cool first (Set Blob Tier) or leave it"
                    + " out with an exclude filter" : " and being rehydrated (this takes hours): run again once it"
                    + " is done") + " (" + account + detail + ")", e);
        }
        if (BAD_DATA.contains(known) || status == 413) {
            return new MigrationException(ErrorKind.USER_DATA, account + " refused " + what + detail + ": "
                    + serviceMessage(e.getMessage()), e);
        }
        return new MigrationException(ErrorKind.FATAL, account + " failed " + what + detail + ": "
                + serviceMessage(e.getMessage()), e);
    }

    /** The service's hint of when to retry, or {@code null}. */
    static Duration retryAfter(HttpResponse response) {
        if (response == null) {
            return null;
        }
        for (String name : new String[] {"x-ms-retry-after-ms", "retry-after-ms"}) {
            String ms = response.getHeaderValue(name);
            if (ms != null) {
                try {
                    return Duration.ofMillis(Long.parseLong(ms.trim()));
                } catch (NumberFormatException ignored) {
                    // try the next form
                }
            }
        }
        String value = response.getHeaderValue("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }

    private static boolean interruptedIo(Throwable e) {
        InterruptedIOException io = find(e, InterruptedIOException.class);
        return io != null && !(io instanceof SocketTimeoutException);
    }

    private static int status(HttpResponseException e) {
        return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    }

    private static String code(HttpResponseException e) {
        return e.getResponse() == null ? null : e.getResponse().getHeaderValue("x-ms-error-code");
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                + firstLine(message);
    }

    /**
     * The service's own words from an exception message that carries its XML error body ({@code <Message>...}, up to
     * the request id on the next line), else the message's first line.
     */
    static String serviceMessage(String message) {
        int start = message == null ? -1 : message.indexOf("<Message>");
        if (start < 0) {
            return firstLine(message);
        }
        String text = message.substring(start + "<Message>".length());
        int end = text.indexOf("</Message>");
        return firstLine(end < 0 ? text : text.substring(0, end)).strip();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
