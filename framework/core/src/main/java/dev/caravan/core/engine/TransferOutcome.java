package dev.caravan.core.engine;

import dev.caravan.api.verify.VerificationItem;
import dev.caravan.core.metadata.MetadataNote;
import java.util.List;
import java.util.Map;

/**
 * What one finished task did.
 *
 * @param bytes        bytes moved
 * @param sha256       SHA-256 of the bytes, or {@code null} when not computed
 * @param verification the verification verdict, or {@code null} for tasks that move nothing
 * @param transferred  whether bytes were written to the target (false for deletes and cleanups)
 * @param bytesSent    bytes actually sent by this attempt (less than {@code bytes} when a resumed multipart
 *                     upload reused parts the store already held)
 * @param metadata     descriptive attributes that did not reach the target as they were (empty for most copies)
 * @param facts        what the journal keeps for the next run's plan ({@link dev.caravan.core.plan.CopyFacts}),
 *                     and the bytes kept in the backup dir ({@link Backups#BYTES_SENT}), in the task's report;
 *                     possibly empty
 */
record TransferOutcome(long bytes, String sha256, VerificationItem verification, boolean transferred,
        long bytesSent, List<MetadataNote> metadata, Map<String, String> facts) {

    TransferOutcome {
        metadata = List.copyOf(metadata);
        facts = Map.copyOf(facts);
    }

    TransferOutcome(long bytes, String sha256, VerificationItem verification, boolean transferred, long bytesSent) {
        this(bytes, sha256, verification, transferred, bytesSent, List.of(), Map.of());
    }

    TransferOutcome(long bytes, String sha256, VerificationItem verification, boolean transferred) {
        this(bytes, sha256, verification, transferred, transferred ? bytes : 0);
    }

    /** This outcome with notes about the descriptive attributes. */
    TransferOutcome withMetadata(List<MetadataNote> notes) {
        return new TransferOutcome(bytes, sha256, verification, transferred, bytesSent, notes, facts);
    }

    /** This outcome with facts for the journal. */
    TransferOutcome withFacts(Map<String, String> newFacts) {
        return new TransferOutcome(bytes, sha256, verification, transferred, bytesSent, metadata, newFacts);
    }
}
