package dev.caravan.formats;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;

/**
 * The one place where the formats module turns library and I/O exceptions into {@link MigrationException}s:
 * undecodable bytes, truncated or corrupt files and library parse errors are {@link ErrorKind#USER_DATA} (a
 * {@link DataError}); other I/O failures come from the stream underneath (a store, the network) and are
 * {@link ErrorKind#TRANSIENT}; exceptions that already are {@link MigrationException}s pass through.
 */
public final class FormatErrors {
    private FormatErrors() {
    }

    /**
     * Translates a failure while reading {@code source}.
     *
     * @param record 1-based record being read, or 0
     * @param line   1-based line, or 0
     */
    public static MigrationException reading(Throwable e, String source, long record, long line) {
        Throwable t = unwrap(e);
        if (t instanceof MigrationException m) {
            return m;
        }
        if (t instanceof CharacterCodingException) {
            return DataError.fatal(source, record, line, "the bytes are not valid text in the configured charset ("
                    + describe(t) + "); set the charset option", t);
        }
        if (t instanceof EOFException) {
            return DataError.fatal(source, record, line, "the input ends in the middle of a record (truncated file?)",
                    t);
        }
        if (t instanceof IOException io && !isLibraryFormatError(io)) {
            return MigrationException.transientError("reading " + source + ": " + describe(io), io);
        }
        return DataError.fatal(source, record, line, "not readable as this format: " + describe(t), t);
    }

    /** Translates a failure while writing {@code target}: I/O is transient, anything else is fatal to the file. */
    public static MigrationException writing(Throwable e, String target) {
        Throwable t = unwrap(e);
        if (t instanceof MigrationException m) {
            return m;
        }
        if (t instanceof IOException && t.getCause() instanceof MigrationException m) {
            return m; // the store behind a pipe refused the object: keep its kind
        }
        if (t instanceof CharacterCodingException) {
            return new MigrationException(ErrorKind.USER_DATA, "writing " + target
                    + ": a value cannot be encoded in the configured charset (" + describe(t) + "); use UTF-8", t);
        }
        if (t instanceof IOException) {
            return MigrationException.transientError("writing " + target + ": " + describe(t), t);
        }
        return new MigrationException(ErrorKind.FATAL, "writing " + target + " failed: " + describe(t), t);
    }

    /** A message for a throwable: its own message, or its class name when it has none. */
    public static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t.getClass() == RuntimeException.class) && t.getCause() != null
                && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Avro reports bad input as plain IOExceptions; recognise them by class or message. */
    private static boolean isLibraryFormatError(IOException e) {
        String cls = e.getClass().getName();
        if (cls.startsWith("org.apache.avro") || cls.startsWith("org.apache.parquet")
                || cls.startsWith("io.airlift.compress")) {
            return true;
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.contains("Not an Avro data file")
                || m.contains("Invalid sync") || m.contains("not a Parquet file");
    }
}
