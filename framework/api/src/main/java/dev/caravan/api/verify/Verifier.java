package dev.caravan.api.verify;

/**
 * Compares one item on both sides. Implementations are stateless and thread-safe; they never throw for a
 * mismatch (that is an outcome) and report I/O trouble as {@link VerificationOutcome#ERROR}.
 *
 * @param <T> what is compared: an object in a store, a key range of a table, a disk image
 */
public interface Verifier<T> {
    /** Name of the method, e.g. {@code sha256}. */
    String method();

    VerificationItem verify(String item, T source, T target);
}
