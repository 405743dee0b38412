package dev.caravan.connector.http;

import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The one place where the HTTP connector turns status codes and I/O failures into {@link MigrationException}s.
 * Every message names the URL (never the Authorization header). The classification:
 *
 * <table>
 * <caption>failure to ErrorKind</caption>
 * <tr><th>cause</th><th>kind</th></tr>
 * <tr><td>404, 410</td><td>NOT_FOUND</td></tr>
 * <tr><td>401, 403, 407</td><td>USER_CONFIG: credentials (option authorization) or permissions</td></tr>
 * <tr><td>408, 425, 429, 500, 502, 503, 504 and other 5xx</td><td>TRANSIENT, with the server's Retry-After</td></tr>
 * <tr><td>other 4xx</td><td>USER_DATA: the server refuses this URL; the others may work</td></tr>
 * <tr><td>unknown host, connection refused (before any request succeeded), TLS failures</td>
 * <td>USER_CONFIG naming {@code host:port}</td></tr>
 * <tr><td>connection refused after requests worked</td><td>an outage ({@link EndpointOutage}): TRANSIENT,
 * retried every 5 s apart from the retries, for up to the outage wait (25 s); then the run stops unfinished</td></tr>
 * <tr><td>timeouts, resets, interrupted</td><td>TRANSIENT</td></tr>
 * </table>
 */
final class HttpErrors {

    private HttpErrors() {
    }

    /** Translates an unexpected status of a request for {@code url}. */
    static MigrationException status(int status, URI url, Optional<String> retryAfter) {
        String at = status + " for " + url;
        if (status == 404 || status == 410) {
            return new MigrationException(ErrorKind.NOT_FOUND, "not found: " + at);
        }
        if (status == 401 || status == 403 || status == 407) {
            return new MigrationException(ErrorKind.USER_CONFIG, "access refused: " + at
                    + " (check the option authorization and the server's permissions)");
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new MigrationException(ErrorKind.TRANSIENT, "server busy or failing: " + at, null,
                    retryAfter.flatMap(HttpErrors::parseRetryAfter).orElse(null));
        }
        if (status >= 300 && status < 400) {
            return new MigrationException(ErrorKind.USER_DATA, "redirected to another site: " + at + " (not followed:"
                    + " a migration stays on its site, and the authorization is not sent elsewhere)");
        }
        return new MigrationException(ErrorKind.USER_DATA, "the server refuses the request: " + at);
    }

    /**
     * Translates a failure to talk to the server at all.
     *
     * @param answeredBefore whether any request of this store got an answer (then refusals are restarts)
     */
    static MigrationException io(IOException e, URI url, boolean answeredBefore) {
        String where = hostPort(url);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root instanceof UnknownHostException || root instanceof UnresolvedAddressException) {
            return new MigrationException(ErrorKind.USER_CONFIG, "unknown host " + url.getHost() + " (in " + url
                    + ")", e);
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return new MigrationException(ErrorKind.TRANSIENT, "timed out talking to " + where + " for " + url, e);
        }
        if (root instanceof ConnectException || e instanceof ConnectException) {
            MigrationException unreachable = new MigrationException(ErrorKind.USER_CONFIG, "cannot reach an HTTP"
                    + " server at " + where + " (" + reason + "): check the URL, the port and the firewall", e);
            return answeredBefore ? outage(url).refusedAfterWorking(unreachable, "GET " + url) : unreachable;
        }
        if (root instanceof SSLException || e instanceof SSLException) {
            return new MigrationException(ErrorKind.USER_CONFIG, "TLS failure with " + where + ": " + reason
                    + " (certificate not trusted by this JVM, or not an https server)", e);
        }
        if (e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
        }
        return new MigrationException(ErrorKind.TRANSIENT, "I/O failure with " + where + " for " + url + ": "
                + reason, e);
    }

    /** The process-wide outage watch of the server of {@code url} ({@link EndpointOutage}). */
    static EndpointOutage outage(URI url) {
        return EndpointOutage.of(url.getScheme() + "://" + hostPort(url));
    }

    private static String hostPort(URI url) {
        return url.getHost() + ":" + (url.getPort() >= 0 ? url.getPort()
                : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80);
    }

    /** An interrupted wait for a response. */
    static MigrationException interrupted(URI url, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new MigrationException(ErrorKind.TRANSIENT, "interrupted while requesting " + url, e);
    }

    /** Retry-After as seconds or an HTTP date. */
    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException ignored) {
                return Optional.empty();
            }
        }
    }
}
