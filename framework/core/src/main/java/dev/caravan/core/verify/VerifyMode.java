package dev.caravan.core.verify;

/** How each copied object is verified before it is published under its final name. */
public enum VerifyMode {
    /** No check beyond the transfer itself (not recommended). */
    NONE,
    /** Sizes must match. */
    SIZE,
    /** Sizes must match and our SHA-256, computed while streaming, must equal the SHA-256 of the stored copy. */
    SHA256
}
