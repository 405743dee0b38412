package dev.caravan.api.error;

import java.time.Duration;
import java.util.Optional;

/**
 * The one exception of the SPI. Unchecked; its {@link ErrorKind} tells the runner whether to retry, fall back,
 * skip the item or stop. Each connector translates its vendor exceptions into this class in one place.
 */
public class MigrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final transient Duration retryAfter;

    public MigrationException(ErrorKind kind, String message) {
        this(kind, message, null, null);
    }

    public MigrationException(ErrorKind kind, String message, Throwable cause) {
        this(kind, message, cause, null);
    }

    public MigrationException(ErrorKind kind, String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public static MigrationException userConfig(String message) {
        return new MigrationException(ErrorKind.USER_CONFIG, message);
    }

    public static MigrationException userData(String message) {
        return new MigrationException(ErrorKind.USER_DATA, message);
    }

    public static MigrationException transientError(String message, Throwable cause) {
        return new MigrationException(ErrorKind.TRANSIENT, message, cause);
    }

    public static MigrationException notFound(String message) {
        return new MigrationException(ErrorKind.NOT_FOUND, message);
    }

    public static MigrationException unsupported(String message) {
        return new MigrationException(ErrorKind.UNSUPPORTED, message);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** A server's hint of how long to wait before retrying (HTTP Retry-After), if it gave one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
