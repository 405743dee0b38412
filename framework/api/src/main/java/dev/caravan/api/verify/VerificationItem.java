package dev.caravan.api.verify;

/**
 * The verdict on one item.
 *
 * @param item    object key, table range or disk
 * @param outcome the verdict
 * @param method  how it was checked, e.g. {@code size}, {@code sha256}, {@code sha256-stored}, {@code rowcount}
 * @param detail  what differed (both values), or the error; empty for a match
 */
public record VerificationItem(String item, VerificationOutcome outcome, String method, String detail) {
    public boolean matches() {
        return outcome == VerificationOutcome.MATCH;
    }
}
