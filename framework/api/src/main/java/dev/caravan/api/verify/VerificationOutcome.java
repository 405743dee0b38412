package dev.caravan.api.verify;

/** Result of comparing one item on both sides. */
public enum VerificationOutcome {
    MATCH, DIFFER, MISSING_ON_SOURCE, MISSING_ON_TARGET, ERROR
}
