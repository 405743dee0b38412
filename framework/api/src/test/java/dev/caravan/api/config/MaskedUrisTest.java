package dev.caravan.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class MaskedUrisTest {
    @Test
    void passwordsInQueriesPropertiesAndUserinfoAreMaskedAndTheRestIsKept() {
        assertThat(MaskedUris.of("jdbc:postgresql://db:5432/app?user=app&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?user=app&password=****&ssl=true");
        assertThat(MaskedUris.of("jdbc:sqlserver://db;user=sa;PASSWORD=x;db=a"))
                .isEqualTo("jdbc:sqlserver://db;user=sa;PASSWORD=****;db=a");
        assertThat(MaskedUris.of("jdbc:mariadb://app:hunter2@db/app")).isEqualTo("jdbc:mariadb://app:****@db/app");
        assertThat(MaskedUris.of("sftp:backup@host:22/srv")).isEqualTo("sftp:backup@host:22/srv");
        assertThat(MaskedUris.of("local:/data/password=notes")).isEqualTo("local:/data/password=****");
        assertThat(MaskedUris.of(null)).isNull();
    }

    @Test
    void secretOptionsAreMaskedPlainOrRawWhereverCamelQuotesThem() {
        String secret = "v" + UUID.randomUUID();
        String text = "to[caravan:migrate?source=s3:b&source.secretAccessKey=RAW(" + secret + ")&target.connectionString"
                + "=RAW(AccountName=a;AccountKey=" + secret + ";)&mode=sync] due to: Invalid uri: source.sessionToken="
                + secret + "&transfers=8 Unknown parameters=[{clientSecret=" + secret + "}]";
        String masked = MaskedUris.secretOptions(text);
        assertThat(masked).doesNotContain(secret).contains("source=s3:b", "source.secretAccessKey=****",
                "target.connectionString=****", "mode=sync", "source.sessionToken=****&transfers=8",
                "{clientSecret=****}");
        assertThat(MaskedUris.secretOptions("keyMap is not a secret, nor maxDelete=10%")).isEqualTo(
                "keyMap is not a secret, nor maxDelete=10%");
        assertThat(MaskedUris.secretOptions(null)).isNull();
    }
}
