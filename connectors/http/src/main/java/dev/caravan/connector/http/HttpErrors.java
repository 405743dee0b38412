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
import java.net.http.HttpResponse;
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
 * A failure of the request a redirect led to ({@link RedirectFailed}) is classified the same way and names the
 * redirect's target and the URL it came from.
 */
final class HttpErrors {

    private HttpErrors() {
    }

    /** Translates an unexpected status of a response to a request for {@code url}. */
    static MigrationException status(HttpResponse<?> response, URI url) {
        return status(response.statusCode(), url, response.headers().firstValue("Retry-After"),
                response.headers().firstValue("Location"));
    }

    /** Translates an unexpected status of a request for {@code url}. */
    static MigrationException status(int status, URI url, Optional<String> retryAfter) {
        return status(status, url, retryAfter, Optional.empty());
    }

    private static MigrationException status(int status, URI url, Optional<String> retryAfter,
            Optional<String> location) {
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
            String to = location.map(l -> " to " + resolved(url, l)).orElse("");
            return new MigrationException(ErrorKind.USER_DATA, "redirected to another site: " + at + to
                    + " (not followed:"
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
        if (e instanceof RedirectFailed redirect) { // the redirect's target failed: name it, and where it came from
            return io(redirect.failure(), redirect.to(), answeredBefore, " (redirected from " + redirect.from() + ")");
        }
        return io(e, url, answeredBefore, "");
    }

    private static MigrationException io(IOException e, URI url, boolean answeredBefore, String via) {
        String where = hostPort(url);
        String forUrl = via.isEmpty() ? "" : " for " + url + via;
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root instanceof UnknownHostException || root instanceof UnresolvedAddressException) {
            return new MigrationException(ErrorKind.USER_CONFIG, "unknown host " + url.getHost() + " (in " + url
                    + via + ")", e);
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return new MigrationException(ErrorKind.TRANSIENT, "timed out talking to " + where + " for " + url + via,
                    e);
        }
        if (root instanceof ConnectException || e instanceof ConnectException) {
            MigrationException unreachable = new MigrationException(ErrorKind.USER_CONFIG, "cannot reach an HTTP"
                    + " server at " + where + " (" + reason + ")" + forUrl + ": check the URL, the port and the"
                    + " firewall", e);
            return answeredBefore ? outage(url).refusedAfterWorking(unreachable, "GET " + url + via) : unreachable;
        }
        if (root instanceof SSLException || e instanceof SSLException) {
            return new MigrationException(ErrorKind.USER_CONFIG, "TLS failure with " + where + forUrl + ": " + reason
                    + " (certificate not trusted by this JVM, or not an https server)", e);
        }
        if (e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
        }
        return new MigrationException(ErrorKind.TRANSIENT, "I/O failure with " + where + " for " + url + via + ": "
                + reason, e);
    }

    /**
     * The failure of the request a redirect led to: {@link #io} names {@code to}, not the URL asked for, whose server
     * answered (before, an unreachable redirect target was reported as the site being unreachable).
     */
    static final class RedirectFailed extends IOException {
        private final URI from;
        private final URI to;

        RedirectFailed(URI from, URI to, IOException failure) {
            super("request redirected from " + from + " to " + to + " failed: " + failure.getMessage(), failure);
            this.from = from;
            this.to = to;
        }

        URI from() {
            return from;
        }

        URI to() {
            return to;
        }

        IOException failure() {
            return (IOException) getCause();
        }
    }

    private static String resolved(URI url, String location) {
        try {
            return url.resolve(location.trim()).toString();
        } catch (IllegalArgumentException e) {
            return location.trim();
        }
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
