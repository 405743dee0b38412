package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A request signed with a payload hash given in advance carries exactly the headers and the signature the SDK's public
 * signer gives the same request when it hashes the payload itself (plain and session credentials, a query string).
 */
class PresignedPayloadTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T18:00:00Z"), ZoneOffset.UTC);

    @Test
    void signsAsTheSdkSignerSignsFromThePayload() throws Exception {
        byte[] body = "the bytes of a part".getBytes();
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create("http://127.0.0.1:18080/bucket/dir/a%20b.bin")).putRawQueryParameter("partNumber", "2")
                .putRawQueryParameter("uploadId", "abc/def+=").putHeader("Content-Length", Integer.toString(body.length))
                .build();
        for (AwsCredentialsIdentity identity : new AwsCredentialsIdentity[] {
            AwsCredentialsIdentity.create("AKID", "secret"),
            software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity.create("AKID", "secret", "token")}) {
            SdkHttpRequest ours = PresignedPayload.sign(request, hash, identity, "us-east-1", CLOCK);
            SdkHttpRequest sdk = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
                    .payload(() -> new ByteArrayInputStream(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                    .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, false)
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, CLOCK)).request();
            assertThat(ours.headers()).isEqualTo(sdk.headers());
            assertThat(ours.firstMatchingHeader("Authorization")).get().asString().contains("Signature=");
            assertThat(ours.firstMatchingHeader("x-amz-content-sha256")).contains(hash);
        }
    }
}
