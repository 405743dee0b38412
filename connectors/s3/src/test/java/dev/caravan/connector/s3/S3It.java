package dev.caravan.connector.s3;

import dev.caravan.api.store.ObjectStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Where the integration tests find S3Proxy (started by scripts/servers/s3proxy.sh) and small helpers around it:
 * store options, fresh buckets, a raw SDK client to look at the bucket from outside the store, clean-up. The
 * coordinates come from the environment ({@code CARAVAN_IT_S3_ENDPOINT}, {@code CARAVAN_IT_S3_ACCESS_KEY},
 * {@code CARAVAN_IT_S3_SECRET_KEY}), else from system properties of the same meaning
 * ({@code caravan.it.s3.endpoint}, ...), else the script's defaults.
 */
final class S3It {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final String RUN = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);

    private S3It() {
    }

    static String endpoint() {
        return setting("CARAVAN_IT_S3_ENDPOINT", "caravan.it.s3.endpoint", "http://127.0.0.1:18080");
    }

    static String accessKey() {
        return setting("CARAVAN_IT_S3_ACCESS_KEY", "caravan.it.s3.accessKey", "local-identity");
    }

    static String secretKey() {
        return setting("CARAVAN_IT_S3_SECRET_KEY", "caravan.it.s3.secretKey", "local-credential");
    }

    /** S3Mock (scripts/servers/s3mock.sh), an S3 server with object tagging; it checks no signature. */
    static String s3MockEndpoint() {
        return setting("CARAVAN_IT_S3MOCK_ENDPOINT", "caravan.it.s3mock.endpoint", "http://127.0.0.1:18090");
    }

    private static String setting(String env, String property, String fallback) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            v = System.getProperty(property);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Options of a store on S3Proxy that creates its bucket; {@code extra} are name/value pairs. */
    static Map<String, String> options(String... extra) {
        Map<String, String> o = new HashMap<>();
        o.put("endpoint", endpoint());
        o.put("pathStyle", "true");
        o.put("accessKeyId", accessKey());
        o.put("secretAccessKey", secretKey());
        o.put("createBucket", "true");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            o.put(extra[i], extra[i + 1]);
        }
        return o;
    }

    /** A bucket name no other test uses. */
    static String newBucket(String purpose) {
        return ("it-" + RUN + "-" + BUCKETS.incrementAndGet() + "-" + purpose).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "-");
    }

    /**
     * Opens a store on {@code bucketAndPrefix} with {@link #options} plus {@code extra}, making its bucket first when
     * the store may create it ({@code createBucket=true}, the default here) on this S3Proxy: such a store makes a
     * missing bucket only with its first write ({@link #openLazily}), and most tests look at the bucket from outside
     * before that.
     */
    static S3ObjectStore open(String bucketAndPrefix, String... extra) {
        Map<String, String> o = options(extra);
        if ("true".equals(o.get("createBucket")) && endpoint().equals(o.get("endpoint"))) {
            String bucket = bucketAndPrefix.split("/", 2)[0];
            try (S3Client raw = rawClient()) {
                raw.createBucket(r -> r.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException made) {
                // made by the test
            }
        }
        return openLazily(bucketAndPrefix, extra);
    }

    /** Opens a store like {@link #open}, without making its bucket first. */
    static S3ObjectStore openLazily(String bucketAndPrefix, String... extra) {
        S3StoreProvider provider = new S3StoreProvider();
        return (S3ObjectStore) provider.open(bucketAndPrefix, provider.options().resolve(options(extra)));
    }

    /** A plain SDK client with the settings that work on S3Proxy, to look at buckets from outside a store. */
    static S3Client rawClient() {
        return rawClient(endpoint());
    }

    /** The same client for another endpoint with the same credentials (S3Mock takes any). */
    static S3Client rawClient(String endpoint) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(),
                        secretKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .build();
    }

    /** Every key of a bucket, as S3 lists them. */
    static List<String> allKeys(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).encodingType(EncodingType.URL)).contents().stream()
                .map(S3Object::key).toList();
    }

    /** Removes a bucket with everything in it (objects and unfinished uploads). */
    static void deleteBucket(S3Client s3, String bucket) {
        try {
            s3.listMultipartUploadsPaginator(r -> r.bucket(bucket)).uploads().forEach(u ->
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId())));
            List<String> keys = new ArrayList<>(allKeys(s3, bucket));
            Collections.reverse(keys); // children before the directory markers of S3Proxy's file backend
            for (String key : keys) {
                s3.deleteObject(r -> r.bucket(bucket).key(key));
            }
            s3.deleteBucket(r -> r.bucket(bucket));
        } catch (NoSuchBucketException gone) {
            // nothing to clean
        }
    }

    /** Closes a store, ignoring null. */
    static void close(ObjectStore store) {
        if (store != null) {
            store.close();
        }
    }
}
