package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A target rewritten with other bytes of the same size by a tool that kept its metadata still claims the source's
 * SHA-256; the stores' own MD5s tell the truth, and a move must keep both copies.
 */
class ObjectComparerTest {
    private static final String SHA = "cdbf5a08624d123e3d792b6c9e6798c4ef5328d28ba77fc72f31e9215d257127";

    private static ObjectInfo object(Map<HashType, String> hashes) {
        return new ObjectInfo("doc.txt", 17, Instant.EPOCH, hashes, null, null,
                Map.of(CopyPipeline.SHA256_METADATA, SHA), -1);
    }

    @Test
    void theStoresOwnDigestsOverruleAStaleStoredSha256() {
        ObjectInfo source = object(Map.of(HashType.MD5, "0a1b"));
        VerificationItem rewritten = ObjectComparer.compare("doc.txt", null, source, null,
                object(Map.of(HashType.MD5, "ffee")));
        assertThat(rewritten.outcome()).isEqualTo(VerificationOutcome.DIFFER);
        assertThat(rewritten.detail()).isEqualTo("md5 0a1b on source, ffee on target (the stores' own digests)");

        assertThat(ObjectComparer.compare("doc.txt", null, source, null, object(Map.of(HashType.MD5, "0A1B")))
                .outcome()).as("the same MD5, the same stored SHA-256").isEqualTo(VerificationOutcome.MATCH);
        assertThat(ObjectComparer.compare("doc.txt", null, source, null, object(Map.of())).outcome())
                .as("no digest of the target's own: the stored SHA-256 decides").isEqualTo(VerificationOutcome.MATCH);
    }
}
