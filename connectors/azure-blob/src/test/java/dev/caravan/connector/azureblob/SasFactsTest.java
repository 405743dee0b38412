package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SasFactsTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void anExpiredSasSaysWhenAndAWeakOneWhatItGrantsWithoutItsSignature() {
        String sig = UUID.randomUUID().toString();
        SasFacts expired = SasFacts.of("?sv=2021-08-06&sp=rl&se=2026-01-01T00%3A00%3A00Z&sig=" + sig);
        assertThat(expired.explain("AuthorizationFailure", NOW)).contains("expired at 2026-01-01T00:00:00Z").doesNotContain(sig);
        SasFacts weak = SasFacts.of("sv=2021-08-06&sp=rl&se=2027-01-01&sig=" + sig);
        assertThat(weak.expiry()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(weak.explain("AuthorizationPermissionMismatch", NOW)).contains("grants 'rl'").doesNotContain(sig);
        assertThat(weak.explain("AuthorizationResourceTypeMismatch", NOW)).contains("srt=sco")
                .doesNotContain("grants");
        assertThat(weak.explain("AuthorizationServiceMismatch", NOW)).contains("ss");
        assertThat(weak.explain("AuthorizationFailure", NOW)).as("another refusal: the SAS tells nothing").isNull();
        assertThat(weak.toString()).doesNotContain(sig);
        assertThat(SasFacts.of(null)).isNull();
    }
}
