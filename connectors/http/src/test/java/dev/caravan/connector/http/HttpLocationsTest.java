package dev.caravan.connector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A location the http connector refuses is named in its error without the secrets of its query string or user
 * info; a storage URL of Azure Blob or S3 is told which connector and location form to use instead. No network.
 */
class HttpLocationsTest {
    private final String secret = UUID.randomUUID().toString().replace("-", "");

    private static MigrationException refused(String location) {
        MigrationException e = catchThrowableOfType(MigrationException.class,
                () -> new HttpsStoreProvider().open(location, null));
        assertThat(e).as(location).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        return e;
    }

    @Test
    void anAzureSasUrlIsMaskedAndPointsToTheAzblobConnector() {
        String message = refused("//acct.blob.core.windows.net/photos/2024?sv=2024-11-04&sp=rl&sig=" + secret)
                .getMessage();

        assertThat(message).doesNotContain(secret).contains("sig=***").contains("sv=2024-11-04")
                .contains("azblob:photos/2024").contains("account=acct").contains("sasToken");
    }

    @Test
    void anS3PresignedUrlIsMaskedAndPointsToTheS3Connector() {
        String message = refused("//reports.s3.eu-west-1.amazonaws.com/2025/q1.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIA" + secret.substring(0, 16) + "&X-Amz-Signature=" + secret
                + "&X-Amz-Security-Token=" + secret).getMessage();

        assertThat(message).doesNotContain(secret).doesNotContain(secret.substring(0, 16))
                .contains("X-Amz-Signature=***").contains("s3:reports/2025/q1.csv");
        assertThat(refused("//s3.us-east-2.amazonaws.com/reports/2025?X-Amz-Signature=" + secret).getMessage())
                .doesNotContain(secret).contains("s3:reports/2025");
    }

    @Test
    void tokenLikeParametersAndUserInfoOfOtherUrlsAreMasked() {
        String message = refused("//example.com/site?page=2&access_token=" + secret + "&apiKey=" + secret)
                .getMessage();
        assertThat(message).doesNotContain(secret).contains("page=2").contains("access_token=***")
                .doesNotContain("azblob").doesNotContain("s3:");

        assertThat(refused("//ann:" + secret + "@example.com/x?y=1").getMessage()).doesNotContain(secret);
        assertThat(refused("//ann:" + secret + "@example.com/x").getMessage()).doesNotContain(secret)
                .contains("https://***@example.com/x/");
    }
}
