package dev.caravan.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private final Options options = Options.of("demo",
            OptionDef.of("region", OptionType.STRING, "Region name").withDefault("us-east-1"),
            OptionDef.of("partSize", OptionType.SIZE, "Part size").withDefault("8M"),
            OptionDef.of("timeout", OptionType.DURATION, "Timeout"),
            OptionDef.of("secretKey", OptionType.PASSWORD, "Secret key").asRequired(),
            OptionDef.of("mode", OptionType.ENUM, "Mode").withAllowed("fast", "safe"));

    @Test
    void resolvesDefaultsAndTypes() {
        Config c = options.resolve(Map.of("secretKey", "s3cr3t", "timeout", "90s"));
        assertThat(c.string("region")).isEqualTo("us-east-1");
        assertThat(c.size("partSize")).contains(8L << 20);
        assertThat(c.duration("timeout")).contains(Duration.ofSeconds(90));
    }

    @Test
    void secretsAreMasked() {
        Config c = options.resolve(Map.of("secretKey", "s3cr3t"));
        assertThat(c.toString()).doesNotContain("s3cr3t").contains("secretKey=****");
        assertThat(c.masked()).containsEntry("secretKey", "****");
    }

    @Test
    void unknownOptionListsTheKnownOnes() {
        assertThatThrownBy(() -> options.resolve(Map.of("secretKey", "x", "regoin", "eu")))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("unknown option 'regoin'")
                .hasMessageContaining("region, partSize, timeout, secretKey, mode")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
    }

    @Test
    void aMisspeltOptionNamesTheOneMeant() {
        assertThatThrownBy(() -> options.resolve(Map.of("secretKey", "x", "regoin", "eu", "nothingLikeIt", "1")))
                .hasMessageContaining("unknown option 'regoin' for demo (did you mean 'region'?)")
                .hasMessageContaining("unknown option 'nothingLikeIt' for demo (known options:");
    }

    @Test
    void missingRequiredAndBadValuesAreReportedTogether() {
        assertThatThrownBy(() -> options.resolve(Map.of("partSize", "lots", "mode", "slow")))
                .hasMessageContaining("'secretKey' of demo is required")
                .hasMessageContaining("not a size: 'lots'")
                .hasMessageContaining("'slow' is not one of [fast, safe]");
    }

    @Test
    void sizesAndDurationsParse() {
        assertThat(Config.parseSize("1024")).isEqualTo(1024);
        assertThat(Config.parseSize("64k")).isEqualTo(65536);
        assertThat(Config.parseSize("10MiB")).isEqualTo(10L << 20);
        assertThat(Config.parseSize("1.5G")).isEqualTo(3L << 29);
        assertThat(Config.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Config.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Config.parseDuration("PT30S")).isEqualTo(Duration.ofSeconds(30));
    }
}
