package dev.caravan.core.engine;

import dev.caravan.api.verify.VerificationItem;

/**
 * What one finished task did.
 *
 * @param bytes        bytes moved
 * @param sha256       SHA-256 of the bytes, or {@code null} when not computed
 * @param verification the verification verdict, or {@code null} for tasks that move nothing
 * @param transferred  whether bytes were written to the target (false for deletes and cleanups)
 * @param bytesSent    bytes actually sent by this attempt (less than {@code bytes} when a resumed multipart
 *                     upload reused parts the store already held)
 */
record TransferOutcome(long bytes, String sha256, VerificationItem verification, boolean transferred,
        long bytesSent) {

    TransferOutcome(long bytes, String sha256, VerificationItem verification, boolean transferred) {
        this(bytes, sha256, verification, transferred, transferred ? bytes : 0);
    }
}
