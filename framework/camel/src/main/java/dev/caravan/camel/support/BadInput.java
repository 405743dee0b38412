package dev.caravan.camel.support;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import org.apache.camel.Exchange;

/**
 * Failures that are bad input found before anything was written: a {@link MigrationException} of kind
 * {@link ErrorKind#USER_CONFIG USER_CONFIG}, {@link ErrorKind#USER_DATA USER_DATA} or
 * {@link ErrorKind#NOT_FOUND NOT_FOUND} thrown by a {@code caravan:} endpoint (the engine throws those kinds only
 * before a run writes: a guard such as maxDelete, a missing source, an unwritable target). The endpoint marks the
 * exchange, so that a runner can tell them from failures after a run started (the command line's exit code 2
 * rather than 1), even when the same kinds come from elsewhere in the route.
 */
public final class BadInput {
    /** Exchange property holding the bad-input exception a {@code caravan:} endpoint threw. */
    public static final String PROPERTY = "CaravanBadInput";

    private BadInput() {
    }

    /** Whether errors of this kind are bad input (configuration, data, something that does not exist). */
    public static boolean isBadInput(ErrorKind kind) {
        return kind == ErrorKind.USER_CONFIG || kind == ErrorKind.USER_DATA || kind == ErrorKind.NOT_FOUND;
    }

    /** Marks the exchange when the exception is bad input; for endpoints that write nothing before throwing it. */
    public static void mark(Exchange exchange, MigrationException e) {
        if (isBadInput(e.kind())) {
            exchange.setProperty(PROPERTY, e);
        }
    }

    /** Whether the exchange failed with the bad-input exception its endpoint marked (not with a later one). */
    public static boolean failedWith(Exchange exchange) {
        Object marked = exchange.getProperty(PROPERTY);
        if (marked == null) {
            return false;
        }
        for (Throwable c = exchange.getException(); c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c == marked) {
                return true;
            }
        }
        return false;
    }
}
