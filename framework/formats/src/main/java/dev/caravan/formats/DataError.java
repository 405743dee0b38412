package dev.caravan.formats;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;

/**
 * Bad data in one input: a value that does not parse or fit its column, a malformed line, a truncated file. Always
 * {@link ErrorKind#USER_DATA} (never retried). The message names the input, the line (text formats) or record
 * number (1-based, data records only) and the column where they are known, e.g.
 * {@code orders.csv: line 7 (record 6), column 'price': 'abc' is not a DECIMAL(12,2)}.
 *
 * <p>A <em>recoverable</em> error concerns one record only: the reader (or writer, or mapping) that threw it can go
 * on with the next record, so a caller may count the record as a reject and continue. A non-recoverable error
 * (broken CSV quoting, a corrupt Avro block) ends the input.
 */
public final class DataError extends MigrationException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long record;
    private final long line;
    private final String column;
    private final String reason;
    private final boolean recoverable;

    private DataError(String source, long record, long line, String column, String reason, boolean recoverable,
            Throwable cause) {
        super(ErrorKind.USER_DATA, message(source, record, line, column, reason), cause);
        this.source = source;
        this.record = record;
        this.line = line;
        this.column = column;
        this.reason = reason;
        this.recoverable = recoverable;
    }

    /** A problem with one record that the caller may skip (count as a reject). */
    public static DataError inRecord(String source, long record, long line, String column, String reason) {
        return new DataError(source, record, line, column, reason, true, null);
    }

    /** A problem that ends the input (the reader cannot find the next record). */
    public static DataError fatal(String source, long record, long line, String reason, Throwable cause) {
        return new DataError(source, record, line, null, reason, false, cause);
    }

    /** The same error attributed to another input name (used when a stream was decoded without a name). */
    public DataError withSource(String newSource) {
        DataError copy = new DataError(newSource, record, line, column, reason, recoverable, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    private static String message(String source, long record, long line, String column, String reason) {
        StringBuilder sb = new StringBuilder(source == null ? "input" : source);
        String sep = ": ";
        if (line > 0) {
            sb.append(sep).append("line ").append(line);
            sep = " ";
            if (record > 0) {
                sb.append(" (record ").append(record).append(')');
            }
        } else if (record > 0) {
            sb.append(sep).append("record ").append(record);
            sep = " ";
        }
        if (column != null) {
            sb.append(sep.equals(" ") ? ", " : sep).append("column '").append(column).append('\'');
        }
        return sb.append(": ").append(reason).toString();
    }

    /** Name of the input (object key, file name), or {@code input} for an unnamed stream. */
    public String source() {
        return source;
    }

    /** 1-based number of the data record, or {@code 0} when unknown. */
    public long record() {
        return record;
    }

    /** 1-based line where the record starts (text formats), or {@code 0}. */
    public long line() {
        return line;
    }

    /** The column concerned, or {@code null}. */
    public String column() {
        return column;
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }

    /** Whether the caller may skip this record and continue with the same reader or writer. */
    public boolean recoverable() {
        return recoverable;
    }
}
