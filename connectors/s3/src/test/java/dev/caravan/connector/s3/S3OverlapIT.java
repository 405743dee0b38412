package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A sync whose source lies inside its target on one S3 server, the two sides naming the server differently
 * ({@code 127.0.0.1} and {@code localhost}): refused before anything is listed or written. Before, the endpoints were
 * compared as text, and the sync deleted its own source ("complete and verified", exit 0).
 */
class S3OverlapIT {
    @TempDir
    Path home;

    private final S3Client raw = S3It.rawClient();
    private final String bucket = S3It.newBucket("overlap");

    @AfterEach
    void tearDown() {
        S3It.deleteBucket(raw, bucket);
        raw.close();
    }

    @Test
    void aSourceInsideItsTargetThroughAnotherNameOfTheServerIsRefused() {
        raw.createBucket(r -> r.bucket(bucket));
        List<String> keys = List.of("data/raw/a.txt", "data/raw/sub/b.txt", "data/other.txt");
        for (String key : keys) {
            raw.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(key));
        }
        URI endpoint = URI.create(S3It.endpoint());
        String alias = endpoint.getScheme().toUpperCase(java.util.Locale.ROOT) + "://localhost:" + endpoint.getPort()
                + "/";
        MigrationSpec spec = MigrationSpec.builder("s3:" + bucket + "/data/raw", "s3:" + bucket + "/data")
                .mode(Mode.SYNC).maxDelete("100%")
                .sourceOptions(S3It.options())
                .targetOptions(S3It.options("endpoint", alias)).build();

        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")))) {
            assertThatThrownBy(() -> engine.run(spec, ProgressListener.NONE))
                    .isInstanceOfSatisfying(MigrationException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                    .hasMessageContaining("refusing to copy between overlapping locations: the source s3:" + bucket
                            + "/data/raw")
                    .hasMessageContaining("lies inside the target");
        }
        assertThat(S3It.allKeys(raw, bucket)).as("nothing deleted").containsExactlyInAnyOrderElementsOf(keys);
    }
}
