package dev.caravan.routes;

import static dev.caravan.routes.CloudRouteTemplatesIT.AZURE;
import static dev.caravan.routes.CloudRouteTemplatesIT.S3_ACCESS;
import static dev.caravan.routes.CloudRouteTemplatesIT.S3_ENDPOINT;
import static dev.caravan.routes.CloudRouteTemplatesIT.S3_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.PlanOutcome;
import dev.caravan.runtime.RoutesRun;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A missing target bucket or container reached through a cloud template: the connector's error says to set its
 * option ({@code createBucket=true}), which a template user cannot give; the message they see names the template's
 * parameter ({@code targetCreateBucket}) instead, in {@code caravan plan} and {@code caravan run}. Against S3Proxy
 * and Azurite (see {@link CloudRouteTemplatesIT}).
 */
class TemplateParameterHintIT {
    @TempDir
    Path tmp;
    private CaravanRuntime runtime;
    private S3Client s3;

    @BeforeEach
    void open() {
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")));
        s3 = S3Client.builder().endpointOverride(URI.create(S3_ENDPOINT)).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3_ACCESS, S3_SECRET)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build()).build();
    }

    @AfterEach
    void close() {
        runtime.close();
        s3.close();
    }

    @Test
    void aMissingTargetBucketOfAzureToS3NamesTheParameterTargetCreateBucket() throws IOException {
        String container = unique();
        BlobContainerClient source = new BlobServiceClientBuilder().connectionString(AZURE).buildClient()
                .createBlobContainer(container);
        source.getBlobClient("a.txt").upload(new ByteArrayInputStream(new byte[] {1}), 1);
        Path routes = Files.writeString(tmp.resolve("bucket.yaml"), TemplatedRouteYaml.of("cloud-azure-to-s3",
                "hint", "azblob:" + container, "s3:" + unique(), List.of("sourceConnectionString", AZURE,
                        "targetEndpoint", S3_ENDPOINT, "targetPathStyle", "true", "targetAccessKeyId", S3_ACCESS,
                        "targetSecretAccessKey", S3_SECRET)));
        try {
            assertNamesTheParameter(routes, "targetCreateBucket=true", "createBucket");
        } finally {
            source.delete();
        }
    }

    @Test
    void aMissingTargetContainerOfS3ToAzureNamesTheParameterTargetCreateContainer() throws IOException {
        String bucket = unique();
        s3.createBucket(r -> r.bucket(bucket));
        s3.putObject(r -> r.bucket(bucket).key("a.txt"), RequestBody.fromString("a"));
        Path routes = Files.writeString(tmp.resolve("container.yaml"), TemplatedRouteYaml.of("cloud-s3-to-azure",
                "hint", "s3:" + bucket, "azblob:" + unique(), List.of("sourceEndpoint", S3_ENDPOINT,
                        "sourcePathStyle", "true", "sourceAccessKeyId", S3_ACCESS, "sourceSecretAccessKey", S3_SECRET,
                        "targetConnectionString", AZURE)));
        try {
            assertNamesTheParameter(routes, "targetCreateContainer=true", "createContainer");
        } finally {
            s3.deleteObject(r -> r.bucket(bucket).key("a.txt"));
            s3.deleteBucket(r -> r.bucket(bucket));
        }
    }

    @Test
    void anEmptySourceConnectionStringOfAzureToS3NamesTheParameter() throws IOException {
        Path routes = Files.writeString(tmp.resolve("credentials.yaml"), TemplatedRouteYaml.of("cloud-azure-to-s3",
                "hint", "azblob:" + unique(), "s3:" + unique(), List.of("targetEndpoint", S3_ENDPOINT,
                        "targetPathStyle", "true", "targetAccessKeyId", S3_ACCESS, "targetSecretAccessKey", S3_SECRET)));
        PlanOutcome plan = runtime.planRoutes(List.of(routes));
        assertThat(plan.exitCode()).isEqualTo(2);
        assertThat(plan.errors()).singleElement().asString().contains("needs credentials", "sourceConnectionString")
                .doesNotContainPattern("(?<![\\w.])connectionString");
    }

    @Test
    void rejectedS3CredentialsOfS3ToAzureNameTheParameters() throws IOException {
        String bucket = unique();
        s3.createBucket(r -> r.bucket(bucket));
        Path routes = Files.writeString(tmp.resolve("rejected.yaml"), TemplatedRouteYaml.of("cloud-s3-to-azure",
                "hint", "s3:" + bucket, "azblob:" + unique(), List.of("sourceEndpoint", S3_ENDPOINT,
                        "sourcePathStyle", "true", "sourceAccessKeyId", S3_ACCESS,
                        "sourceSecretAccessKey", UUID.randomUUID().toString(), "targetConnectionString", AZURE)));
        try {
            PlanOutcome plan = runtime.planRoutes(List.of(routes));
            assertThat(plan.exitCode()).isEqualTo(2);
            assertThat(plan.errors()).singleElement().asString()
                    .contains("rejected the credentials", "sourceAccessKeyId/sourceSecretAccessKey")
                    .doesNotContainPattern("(?<![\\w.])accessKeyId");
        } finally {
            s3.deleteBucket(r -> r.bucket(bucket));
        }
    }

    private void assertNamesTheParameter(Path routes, String parameter, String option) {
        PlanOutcome plan = runtime.planRoutes(List.of(routes));
        assertThat(plan.exitCode()).isEqualTo(2);
        assertThat(plan.errors()).singleElement().asString().contains("does not exist", parameter)
                .doesNotContainPattern("(?<![\\w.])" + option + "=");
        RoutesRun run = runtime.runRoutes(List.of(routes), ProgressListener.NONE);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errors()).singleElement().asString().contains("does not exist", parameter)
                .doesNotContainPattern("(?<![\\w.])" + option + "=");
    }

    private static String unique() {
        return "tplkind-" + UUID.randomUUID().toString().substring(0, 18);
    }
}
