package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.ListedKeys;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.verify.VerifyMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The definition a run keeps in the journal reads back as the same migration; secrets are never kept. */
class SpecJsonTest {

    @Test
    void everySettingSurvivesTheRoundTrip() {
        MigrationSpec spec = MigrationSpec.builder("local:/data \"quoted\"", "local:/backup/é")
                .name("nightly \\ backup")
                .sourceOptions(Map.of("sparse", "false", "b", "2"))
                .targetOptions(Map.of("fsync", "true"))
                .mode(Mode.SYNC)
                .filters(new Filters(List.of("**/*.txt", "a\nb"), List.of(), 5, 1 << 20, Duration.ofHours(1), null))
                .compare(Compare.SIZE)
                .verify(VerifyMode.SIZE)
                .maxDelete("10%")
                .transfers(7)
                .bandwidth(12345)
                .retries(2)
                .retryBaseDelay(Duration.ofMillis(50))
                .outageWait(Duration.ofMinutes(3))
                .keyMap(List.of("replace:\\=\uff3c", "replace::=_"))
                .build();
        assertThat(SpecJson.read(SpecJson.write(spec, (source, key) -> false))).isEqualTo(spec);

        MigrationSpec defaults = MigrationSpec.builder("local:/a", "local:/b").build();
        assertThat(SpecJson.read(SpecJson.write(defaults, (source, key) -> false))).isEqualTo(defaults);
    }

    @Test
    void aFilesFromListIsKeptForResumeWhenItFitsAndElseTheCommandIsAskedForAgain() {
        MigrationSpec listed = MigrationSpec.builder("local:/a", "local:/b").mode(Mode.SYNC)
                .filters(Filters.NONE.withFilesFrom(ListedKeys.of(List.of("b", "a/c"), "list.txt"))).build();
        MigrationSpec back = SpecJson.read(SpecJson.write(listed, (source, key) -> false));
        assertThat(back).isEqualTo(listed);
        assertThat(back.migrationId()).isEqualTo(listed.migrationId());

        String longKey = "k".repeat(1000);
        List<String> many = java.util.stream.IntStream.range(0, SpecJson.MAX_KEPT_LIST_CHARS / 1000 + 1)
                .mapToObj(i -> longKey + i).toList();
        MigrationSpec tooLong = MigrationSpec.builder("local:/a", "local:/b").mode(Mode.SYNC)
                .filters(Filters.NONE.withFilesFrom(ListedKeys.of(many, "big.txt"))).build();
        String json = SpecJson.write(tooLong, (source, key) -> false);
        assertThat(json).doesNotContain(longKey);
        assertThatThrownBy(() -> SpecJson.read(json, "r1", Map.of(), Map.of()))
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("run r1 takes the 201 keys of --files-from big.txt")
                .hasMessageContaining("run the same copy, sync or move command");
    }

    @Test
    void aDefinitionWrittenBeforeTheOutageWaitGetsTheDefault() {
        MigrationSpec spec = MigrationSpec.builder("local:/a", "local:/b").outageWait(Duration.ofMinutes(3)).build();
        String older = SpecJson.write(spec, (source, key) -> false).replace(",\"outageWait\":\"PT3M\"", "");
        assertThat(older).doesNotContain("outageWait");
        assertThat(SpecJson.read(older).outageWait()).isEqualTo(EndpointOutage.DEFAULT_WAIT);
    }

    /** A migration whose source has a secret option (secretKey) and another one (region). */
    private static final MigrationSpec WITH_SECRET = MigrationSpec.builder("s3:bucket", "local:/b")
            .sourceOptions(Map.of("secretKey", "hunter2", "region", "eu"))
            .build();
    private static final String MASKED = SpecJson.write(WITH_SECRET,
            (source, key) -> source && key.equals("secretKey"));

    @Test
    void secretsAreMaskedAndAResumeOfSuchADefinitionIsRefused() {
        String json = MASKED;
        assertThat(json).doesNotContain("hunter2").contains("\"secretKey\":\"****\"", "\"region\":\"eu\"");
        assertThatThrownBy(() -> SpecJson.read(json)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("option 'secretKey' of the source is a secret not kept in the journal")
                .hasMessageContaining("caravan resume RUN_ID --source-option secretKey=...")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
    }

    @Test
    void aSecretGivenAgainCompletesTheDefinitionAndAnythingElseGivenIsRefused() {
        MigrationSpec spec = WITH_SECRET;
        String json = MASKED;

        assertThat(SpecJson.read(json, "r1", Map.of("secretKey", "hunter2"), Map.of())).isEqualTo(spec);
        assertThatThrownBy(() -> SpecJson.read(json, "r1", Map.of("secretKey", "x", "region", "us"), Map.of()))
                .hasMessage("--source-option region is not a secret of this run's source (its secrets: secretKey); "
                        + "the other options are resumed as they were recorded");
        String two = SpecJson.write(spec, (source, key) -> source);
        assertThatThrownBy(() -> SpecJson.read(two, "r1", Map.of(), Map.of())).hasMessageStartingWith("options "
                + "'region', 'secretKey' of the source are secrets not kept in the journal: give them again (caravan "
                + "resume r1 --source-option region=... --source-option secretKey=...)");
        assertThatThrownBy(() -> SpecJson.read(json, "r1", Map.of("secretKey", "x"), Map.of("secretKey", "x")))
                .hasMessageStartingWith("--target-option secretKey is not a secret of this run's target (it has none)");
        // both sides' secrets in one error, not the target's only once the source's are given
        String both = SpecJson.write(spec.toBuilder().targetOptions(Map.of("password", "pw")).build(),
                (source, key) -> key.equals("secretKey") || key.equals("password"));
        assertThatThrownBy(() -> SpecJson.read(both, "r1", Map.of(), Map.of())).hasMessageStartingWith("option "
                + "'secretKey' of the source and option 'password' of the target are secrets not kept in the journal:"
                + " give them again (caravan resume r1 --source-option secretKey=... --target-option password=...)");
    }
}
