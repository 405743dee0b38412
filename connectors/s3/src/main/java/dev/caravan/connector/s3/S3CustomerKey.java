package dev.caravan.connector.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * A customer-provided encryption key (SSE-C, option {@code sseCustomerKey}): 256 bits that S3 encrypts an object
 * with and never keeps, so every request that writes the object's bytes (PutObject, CreateMultipartUpload,
 * UploadPart, CompleteMultipartUpload, the target of CopyObject and UploadPartCopy) and every one that reads them or
 * its metadata (GetObject, HeadObject, ListParts, the source of a copy) must carry it. It goes as request headers
 * ({@code x-amz-server-side-encryption-customer-algorithm}, {@code -key} and {@code -key-MD5}, or their
 * {@code x-amz-copy-source-} forms), added by {@link #on} and {@link #onCopy} to the request builders of a store
 * whose option is set; a store without the option sends none. Immutable; {@link #toString()} masks the key.
 */
final class S3CustomerKey {
    private static final String TARGET = "x-amz-server-side-encryption-customer-";
    private static final String COPY_SOURCE = "x-amz-copy-source-server-side-encryption-customer-";

    private final String key;
    private final String keyMd5;

    private S3CustomerKey(String key, String keyMd5) {
        this.key = key;
        this.keyMd5 = keyMd5;
    }

    /** The key of an option value (Base64 of 32 bytes), or {@code null} for none; {@link #problem} must pass. */
    static S3CustomerKey of(String base64) {
        if (base64 == null || base64.isBlank()) {
            return null;
        }
        byte[] raw = Base64.getDecoder().decode(base64.trim());
        try {
            String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(raw));
            return new S3CustomerKey(Base64.getEncoder().encodeToString(raw), md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }

    /** What is wrong with an option value, or {@code null}; never repeats the value. */
    static String problem(String base64) {
        try {
            int length = Base64.getDecoder().decode(base64.trim()).length;
            return length == 32 ? null : "an SSE-C key is 32 bytes (256 bits) in Base64, this one has " + length
                    + " bytes (make one with: openssl rand -base64 32)";
        } catch (IllegalArgumentException e) {
            return "the SSE-C key is not Base64 (make one with: openssl rand -base64 32)";
        }
    }

    /** {@code request} with {@code key}'s headers, for an object written or read with it; unchanged for none. */
    static <B extends AwsRequest.Builder> B on(S3CustomerKey key, B request) {
        return onCopy(key, null, request);
    }

    /**
     * {@code request} with the headers of {@code target}'s key (the object written) and of {@code source}'s (the
     * object a copy reads), each left out when {@code null}. One call sets both: a request keeps one override.
     */
    static <B extends AwsRequest.Builder> B onCopy(S3CustomerKey target, S3CustomerKey source, B request) {
        if (target != null || source != null) {
            request.overrideConfiguration(o -> {
                if (target != null) {
                    target.put(o, TARGET);
                }
                if (source != null) {
                    source.put(o, COPY_SOURCE);
                }
            });
        }
        return request;
    }

    private void put(AwsRequestOverrideConfiguration.Builder o, String prefix) {
        o.putHeader(prefix + "algorithm", "AES256").putHeader(prefix + "key", key).putHeader(prefix + "key-MD5",
                keyMd5);
    }

    @Override
    public String toString() {
        return "SSE-C key ****";
    }
}
