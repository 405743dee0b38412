package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.runtime.CaravanRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A location of the wrong kind given to a template whose source or target takes one connector (an {@code azblob:}
 * source to cloud-s3-to-azure) is refused before any route is created, naming the parameter, the kind it takes,
 * what was given and the template for that direction: it failed with "unknown option 'accessKeyId' for connector
 * azblob", which says none of it. No network: the check comes before any store is opened.
 */
class TemplateLocationKindTest {
    @TempDir
    Path tmp;
    private CaravanRuntime runtime;

    @BeforeEach
    void open() {
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")));
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void anAzureSourceToTheS3ToAzureTemplateNamesTheParameterTheKindAndTheTemplateForAzureToS3() throws IOException {
        String secret = "s" + UUID.randomUUID();
        MigrationException e = refused("cloud-s3-to-azure", "azblob:photos/2024", "s3:photos",
                List.of("sourceSecretAccessKey", secret, "sourceAccessKeyId", "id" + UUID.randomUUID()));

        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e.getMessage()).startsWith(tmp.resolve("kind.yaml") + ":6: ")
                .contains("the source of route template 'cloud-s3-to-azure' must be an s3:"
                + " location, got azblob:photos/2024; for azblob: -> s3: use route template 'cloud-azure-to-s3'")
                .doesNotContain("unknown option", secret);
    }

    @Test
    void anS3TargetToTheS3ToAzureTemplateSuggestsTheInternalBucketTemplate() throws IOException {
        MigrationException e = refused("cloud-s3-to-azure", "s3:photos", "s3:archive", List.of());

        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e.getMessage()).contains("the target of route template 'cloud-s3-to-azure' must be an azblob:"
                + " location, got s3:archive; for s3: -> s3: use route template 'internal-bucket-to-bucket'");
    }

    @Test
    void aLocalTargetToAnInternalTemplateIsRefusedAndNothingIsWritten() throws IOException {
        String secret = "k" + UUID.randomUUID();
        Path target = tmp.resolve("target");
        MigrationException e = refused("internal-container-to-container", "azblob:data", "local:" + target,
                List.of("connectionString", "AccountName=a;AccountKey=" + secret));

        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e.getMessage()).contains("the target of route template 'internal-container-to-container' must"
                + " be an azblob: location, got local:" + target).doesNotContain(secret, "unknown option");
        assertThat(target).doesNotExist();
    }

    @Test
    void aLocationWithoutSchemeIsRefusedToo() throws IOException {
        MigrationException e = refused("internal-bucket-to-bucket", "data", "s3:archive", List.of());

        assertThat(e.getMessage()).contains("the source of route template 'internal-bucket-to-bucket' must be an"
                + " s3: location, got data");
    }

    private MigrationException refused(String templateId, String source, String target, List<String> more)
            throws IOException {
        Path routes = Files.writeString(tmp.resolve("kind.yaml"),
                TemplatedRouteYaml.of(templateId, "kind", source, target, more));
        MigrationException run = catchThrowableOfType(MigrationException.class,
                () -> runtime.runRoutes(List.of(routes), ProgressListener.NONE));
        assertThat(run).as("run refused").isNotNull();
        MigrationException plan = catchThrowableOfType(MigrationException.class,
                () -> runtime.planRoutes(List.of(routes)));
        assertThat(plan).as("plan refused").isNotNull();
        assertThat(plan.getMessage()).isEqualTo(run.getMessage());
        return run;
    }
}
