package dev.caravan.api.error;

import java.time.Duration;
import java.util.Optional;

/**
 * A request refused by a server that had answered before: an outage ({@link EndpointOutage}),
 * {@link ErrorKind#TRANSIENT} with a retry-after. It does not count against an object's retries: the runner waits it
 * out for as long as the migration's outage wait allows (default {@link EndpointOutage#DEFAULT_WAIT}), then
 * {@link #stop stops} the run, unfinished, instead of failing every object left one by one.
 */
public final class OutageException extends MigrationException {
    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final transient Duration refusingFor;
    private final String lastAnswered;
    private final String what;

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
        super(ErrorKind.TRANSIENT, what + ": " + endpoint + " refused the connection (it last answered at "
                + lastAnswered + ": restarting?); waiting for it", cause, retryAfter);
        this.endpoint = endpoint;
        this.what = what;
        this.lastAnswered = lastAnswered;
        this.refusingFor = refusingFor;
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

    /** How long the server's refusals had lasted when this one happened. */
    public Duration refusingFor() {
        return refusingFor;
    }

    /** The fatal error that ends the run once the outage has lasted {@code waited}, the wait allowed. */
    public MigrationException stop(Duration waited) {
        return new MigrationException(ErrorKind.FATAL, endpoint + " has refused connections for "
                + refusingFor.toSeconds() + " s (it last answered at " + lastAnswered + "; " + what + "; the outage"
                + " wait is " + waited.toSeconds() + " s): the run stops here, unfinished, and nothing is lost; once"
                + " the server is back, the same command (or caravan resume) goes on", this);
    }
}
