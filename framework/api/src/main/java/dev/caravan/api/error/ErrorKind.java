package dev.caravan.api.error;

/**
 * What the runner should do about a failure. Errors are classified by consequence, never by message.
 */
public enum ErrorKind {
    /** The configuration is wrong (unknown option, bad value, missing directory). Never retried; exit code 2. */
    USER_CONFIG(false),
    /** The data cannot be moved as it is (a key escaping the root, a value the target refuses). Never retried. */
    USER_DATA(false),
    /** Network hiccup, throttling, server busy: retried with backoff, honouring a retry-after hint. */
    TRANSIENT(true),
    /** Something that stops the whole run (disk full, credentials revoked). */
    FATAL(false),
    /** The operation is not supported here; the caller uses the named fallback. */
    UNSUPPORTED(false),
    /** The object, table or domain does not exist. */
    NOT_FOUND(false),
    /** The copy exists but does not match its source. */
    VERIFICATION_FAILED(false);

    private final boolean retryable;

    ErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    /** True only for {@link #TRANSIENT}: the one kind a runner retries. */
    public boolean retryable() {
        return retryable;
    }
}
