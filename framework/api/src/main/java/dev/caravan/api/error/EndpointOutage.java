package dev.caravan.api.error;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Tells an endpoint that is down for a moment from one that is wrong, for the connectors of network stores. A refused
 * connection is a configuration error (a wrong endpoint, a server not started: said at once, before anything is
 * written) unless the endpoint answered since the store asking was opened ({@link #mark}): then the server is
 * restarting or failing over, and the failure is an {@link OutageException}, transient, retried after
 * {@link #RETRY_AFTER} without counting against the object's retries, until the refusals have lasted the migration's
 * outage wait ({@link #DEFAULT_WAIT} unless set); after that the runner stops the run, unfinished, to be resumed once
 * the server is back, instead of failing every object left one by one. A server that accepts connections but answers
 * nothing (hung, overloaded, cut off behind a load balancer) is an outage too once a request has waited the read
 * timeout while no request at all was answered ({@link #unanswered}): one slow request among answered ones is not. A
 * connector records every answer of its endpoint ({@link #answered}) and passes each refused connection through
 * {@link #refused}, each request that timed out waiting for its answer through {@link #unanswered}. One per endpoint and
 * process ({@link #of}), so that the stores of one process (a daemon running several commands) share what they know;
 * thread-safe.
 */
public final class EndpointOutage {
    /** How long an outage is ridden out before the run is stopped, unless the migration says otherwise. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(25);
    /** The wait before a request refused during an outage is tried again. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private static final ConcurrentMap<String, EndpointOutage> ENDPOINTS = new ConcurrentHashMap<>();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final String endpoint;
    private final LongSupplier nanoClock;
    // written without the lock by answered() (every response of the endpoint, so kept cheap), read under it
    private volatile boolean answeredOnce;
    private volatile long lastAnswer;
    private volatile boolean refusing;
    private long refusedSince;
    private boolean silent;

    /** An endpoint's watch on a clock of its own (tests); connectors use {@link #of}. */
    public EndpointOutage(String endpoint, LongSupplier nanoClock) {
        this.endpoint = endpoint;
        this.nanoClock = nanoClock;
    }

    /** The process-wide watch of an endpoint (e.g. {@code https://host:443}). */
    public static EndpointOutage of(String endpoint) {
        return ENDPOINTS.computeIfAbsent(endpoint, e -> new EndpointOutage(e, System::nanoTime));
    }

    /** The process-wide watch of the server of {@code url}: its scheme, host and port. */
    public static EndpointOutage ofServer(java.net.URL url) {
        int port = url.getPort() >= 0 ? url.getPort() : url.getDefaultPort();
        return of(url.getProtocol() + "://" + url.getHost() + ":" + port);
    }

    /** Whether {@code e} (or a cause) is a connection refused or without a route: the server did not take it. */
    public static boolean isRefusal(Throwable e) {
        boolean connect = false;
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SocketTimeoutException) {
                return false;
            }
            connect |= c instanceof ConnectException || c instanceof NoRouteToHostException;
        }
        return connect;
    }

    /** Records an answer of the endpoint, whatever its status: the server is up. Called per response: no lock. */
    public void answered() {
        lastAnswer = nanoClock.getAsLong();
        answeredOnce = true;
        if (refusing) {
            refusing = false;
        }
    }

    /** This moment, for {@link #refused}: a store takes its mark when it is opened. */
    public long mark() {
        return nanoClock.getAsLong();
    }

    /** Whether the endpoint has answered since {@code mark} (a store that took it has heard from its server). */
    public boolean answeredSince(long mark) {
        return answeredOnce && lastAnswer - mark >= 0;
    }

    /**
     * What a refused connection of {@code what} (e.g. {@code "put of 'a/b'"}) is, for a store opened at {@code mark}:
     * {@code wrongEndpoint}, the connector's configuration error, when the endpoint has not answered since; else an
     * {@link OutageException}, retried after {@link #RETRY_AFTER}.
     */
    public synchronized MigrationException refused(MigrationException wrongEndpoint, String what, long mark) {
        if (!answeredSince(mark)) {
            return wrongEndpoint;
        }
        silent = false;
        return during(wrongEndpoint, what, nanoClock.getAsLong());
    }

    /**
     * {@link #refused} for a connector that knows the endpoint worked for the store asking (an SFTP session, an HTTP
     * answer): the refusal is an {@link OutageException}.
     */
    public synchronized MigrationException refusedAfterWorking(MigrationException cause, String what) {
        silent = false;
        return during(cause, what, nanoClock.getAsLong());
    }

    /**
     * What a request of {@code what} that got no answer within {@code readTimeout} (the connector's read timeout) is,
     * for a store opened at {@code mark}: an {@link OutageException} (silent) when the endpoint answered since then
     * and has answered nothing at all, to any request, for the read timeout; else {@code cause}, the connector's own
     * error (a slow request among answered ones, left to its retries; an endpoint that never answered, which the
     * connector reports as a configuration problem when it opens the store).
     */
    public synchronized MigrationException unanswered(MigrationException cause, String what, long mark,
            Duration readTimeout) {
        long now = nanoClock.getAsLong();
        if (!answeredSince(mark) || now - lastAnswer < readTimeout.toNanos()) {
            return cause;
        }
        if (!refusing) {
            silent = true;
        }
        return during(cause, what, now);
    }

    private MigrationException during(MigrationException wrongEndpoint, String what, long now) {
        if (!answeredOnce) { // worked for the caller, but before this watch heard of it
            answeredOnce = true;
            lastAnswer = now;
        }
        if (!refusing) {
            refusing = true;
            refusedSince = now;
        }
        String lastSeen = TIME.format(Instant.now().minusNanos(now - lastAnswer));
        return new OutageException(endpoint, what, lastSeen, Duration.ofNanos(now - refusedSince), silent,
                wrongEndpoint, RETRY_AFTER);
    }
}
