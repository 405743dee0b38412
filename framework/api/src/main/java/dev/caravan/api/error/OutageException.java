package dev.caravan.api.error;

import java.time.Duration;
import java.util.Optional;

/**
 * A request refused by a server that had answered before, or left without an answer by a server that has answered
 * nothing at all for the read timeout: an outage ({@link EndpointOutage}), {@link ErrorKind#TRANSIENT} with a
 * retry-after. It does not count against an object's retries: the runner waits it
 * out for as long as the migration's outage wait allows (default {@link EndpointOutage#DEFAULT_WAIT}), then
 * {@link #stop stops} the run, unfinished, instead of failing every object left one by one.
 */
public final class OutageException extends MigrationException {
    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final transient Duration refusingFor;
    private final String lastAnswered;
    private final String what;
    private final boolean silent;

    /**
     * @param endpoint     the server (e.g. {@code http://127.0.0.1:18080})
     * @param what         the request refused (e.g. {@code put of 'a/b'})
     * @param lastAnswered when the server last answered, as a time of day
     * @param refusingFor  how long its refusals have lasted so far
     * @param cause        the connector's own error for the refusal
     * @param retryAfter   the wait before the request is tried again
     */
    public OutageException(String endpoint, String what, String lastAnswered, Duration refusingFor,
            MigrationException cause, Duration retryAfter) {
        this(endpoint, what, lastAnswered, refusingFor, false, cause, retryAfter);
    }

    /**
     * An outage of a server that accepts connections but answers nothing ({@code silent}: hung, overloaded, or the
     * network cut behind a proxy), or that refuses them.
     */
    public OutageException(String endpoint, String what, String lastAnswered, Duration refusingFor, boolean silent,
            MigrationException cause, Duration retryAfter) {
        super(ErrorKind.TRANSIENT, what + ": " + endpoint + (silent
                ? " did not answer, nor any other request, within the read timeout (it last answered at "
                        + lastAnswered + ": hung, overloaded or cut off?); waiting for it"
                : " refused the connection (it last answered at " + lastAnswered + ": restarting?); waiting for it"),
                cause, retryAfter);
        this.endpoint = endpoint;
        this.what = what;
        this.lastAnswered = lastAnswered;
        this.refusingFor = refusingFor;
        this.silent = silent;
    }

    /** The outage behind {@code e}: itself or one of its causes, if any. */
    public static Optional<OutageException> in(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutageException o) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    public String endpoint() {
        return endpoint;
    }

    /** Whether the server left requests without an answer rather than refusing connections. */
    public boolean silent() {
        return silent;
    }

    /** How long the outage (refusals, or requests timing out) had lasted when this one happened. */
    public Duration refusingFor() {
        return refusingFor;
    }

    /** The fatal error that ends the run once the outage has lasted {@code waited}, the wait allowed. */
    public MigrationException stop(Duration waited) {
        return new MigrationException(ErrorKind.FATAL, endpoint + (silent ? " has left requests without an answer"
                : " has refused connections") + " for " + refusingFor.toSeconds() + " s (it last answered at " + lastAnswered + "; " + what + "; the outage"
                + " wait is " + waited.toSeconds() + " s): the run stops here, unfinished, and nothing is lost; once"
                + " the server is back, the same command (or caravan resume) goes on", this);
    }
}
