package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.GrantedAccess;
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

    @Test
    void whatASasLacksForARoleIsToldFromItsOwnFields() {
        String sig = UUID.randomUUID().toString();
        java.util.Set<GrantedAccess.Need> target = java.util.EnumSet.allOf(GrantedAccess.Need.class);
        java.util.Set<GrantedAccess.Need> source = java.util.EnumSet.of(GrantedAccess.Need.READ,
                GrantedAccess.Need.LIST);

        assertThat(SasFacts.of("sv=2024-11-04&sr=c&sp=rl&sig=" + sig).lacking(target))
                .contains("grants 'rl'", "needs r, l, w, c, d", "missing w, c, d").doesNotContain(sig);
        assertThat(SasFacts.of("sv=2024-11-04&sr=c&sp=rl&sig=" + sig).lacking(source)).isNull();
        assertThat(SasFacts.of("sv=2024-11-04&sr=c&sp=racwdl&sig=" + sig).lacking(target)).isNull();
        assertThat(SasFacts.of("sv=2024-11-04&sr=b&sp=racwdl&sig=" + sig).lacking(source)).contains("sr=b");
        assertThat(SasFacts.of("sv=2024-11-04&ss=b&srt=o&sp=rwdlc&sig=" + sig).lacking(source)).contains("srt");
        assertThat(SasFacts.of("sv=2024-11-04&ss=qt&srt=sco&sp=rwdlc&sig=" + sig).lacking(source)).contains("ss");
        assertThat(SasFacts.of("sv=2024-11-04&ss=bf&srt=sco&sp=rwdlc&sig=" + sig).lacking(target)).isNull();
        assertThat(SasFacts.of("sv=2024-11-04&sr=c&si=policy&sig=" + sig).lacking(target))
                .as("a stored access policy: the SAS does not tell").isNull();
    }
}
