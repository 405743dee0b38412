package dev.caravan.connector.s3;

import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4Properties;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4RequestSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 header signing of a request whose payload hash is known already (a part hashed when its source was read
 * before the upload), through the SDK's own V4 request signer: the public {@code AwsV4HttpSigner} always reads and
 * hashes the payload itself, which for a large upload is a whole extra pass of SHA-256 over every byte. The SDK
 * class used is in its {@code internal} package (pinned by the project's AWS bom); {@code PresignedPayloadTest}
 * checks that a request signed here carries the same signature as one the public signer signs from the payload.
 */
final class PresignedPayload {
    private PresignedPayload() {
    }

    /** {@code request} signed for S3 in {@code region} with {@code sha256Hex} as its payload hash. */
    static SdkHttpRequest sign(SdkHttpFullRequest request, String sha256Hex, AwsCredentialsProvider credentials,
            String region) {
        return sign(request, sha256Hex, credentials.resolveIdentity().join(), region, Clock.systemUTC());
    }

    static SdkHttpRequest sign(SdkHttpFullRequest request, String sha256Hex, AwsCredentialsIdentity identity,
            String region, Clock clock) {
        V4Properties properties = V4Properties.builder().credentials(identity)
                .credentialScope(new CredentialScope(region, "s3", clock.instant())).signingClock(clock)
                .doubleUrlEncode(false).normalizePath(false).build();
        SdkHttpRequest.Builder builder = request.toBuilder().putHeader("x-amz-content-sha256", sha256Hex);
        return V4RequestSigner.header(properties).sign(builder).getSignedRequest().build();
    }
}
