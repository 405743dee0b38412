package dev.caravan.api.record;

/**
 * What a committed writer did.
 *
 * @param rowsWritten rows the target accepted
 * @param rowsRejected rows the target refused (sent to the reject file with their reason)
 * @param lastKey     key of the last committed record, or {@code null}
 */
public record WriteReport(long rowsWritten, long rowsRejected, String lastKey) {
}
