package dev.caravan.examples.cloud;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Where the cloud tests find S3Proxy (scripts/servers/s3proxy.sh, 127.0.0.1:18080), S3Mock
 * (scripts/servers/s3mock.sh, 127.0.0.1:18090: an S3 server with object tagging) and Azurite
 * (scripts/servers/azurite.sh, 127.0.0.1:18010), and plain SDK clients to look at them from outside Caravan.
 * Coordinates come from the environment ({@code CARAVAN_IT_S3_ENDPOINT}, {@code CARAVAN_IT_S3_ACCESS_KEY},
 * {@code CARAVAN_IT_S3_SECRET_KEY}, {@code CARAVAN_IT_S3MOCK_ENDPOINT}, {@code CARAVAN_IT_S3MOCK_ACCESS_KEY},
 * {@code CARAVAN_IT_S3MOCK_SECRET_KEY}, {@code CARAVAN_IT_AZURE_CONNECTION_STRING}), else from the system properties
 * of the same meaning ({@code caravan.it.s3.endpoint}, {@code caravan.it.s3mock.endpoint}, ...), else the scripts'
 * defaults.
 */
public final class CloudServers {
    public static final String S3_ENDPOINT = setting("CARAVAN_IT_S3_ENDPOINT", "caravan.it.s3.endpoint",
            "http://127.0.0.1:18080");
    public static final String S3_ACCESS_KEY = setting("CARAVAN_IT_S3_ACCESS_KEY", "caravan.it.s3.accessKey",
            "local-identity");
    public static final String S3_SECRET_KEY = setting("CARAVAN_IT_S3_SECRET_KEY", "caravan.it.s3.secretKey",
            "local-credential");
    public static final String S3MOCK_ENDPOINT = setting("CARAVAN_IT_S3MOCK_ENDPOINT", "caravan.it.s3mock.endpoint",
            "http://127.0.0.1:18090");
    public static final String S3MOCK_ACCESS_KEY = setting("CARAVAN_IT_S3MOCK_ACCESS_KEY",
            "caravan.it.s3mock.accessKey", "s3mock-identity");
    public static final String S3MOCK_SECRET_KEY = setting("CARAVAN_IT_S3MOCK_SECRET_KEY",
            "caravan.it.s3mock.secretKey", "s3mock-credential");
    public static final String AZURE_CONNECTION_STRING = setting("CARAVAN_IT_AZURE_CONNECTION_STRING",
            "caravan.it.azure.connectionString", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                    + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                    + "BlobEndpoint=http://127.0.0.1:18010/devstoreaccount1;");
    private static final AtomicInteger NAMES = new AtomicInteger();

    private CloudServers() {
    }

    /** Connector options of an {@code s3} store on S3Proxy at {@code endpoint}, plus {@code extra} name/value pairs. */
    public static Map<String, String> s3Options(String endpoint, String... extra) {
        return s3Options(endpoint, S3_ACCESS_KEY, S3_SECRET_KEY, extra);
    }

    /**
     * Connector options of an {@code s3} store on S3Mock, plus {@code extra} name/value pairs: S3Mock's HEAD sends no
     * {@code x-amz-tagging-count}, so the store reads every object's tags ({@code tagCountHeader=false}).
     */
    public static Map<String, String> s3MockOptions(String... extra) {
        return s3Options(S3MOCK_ENDPOINT, S3MOCK_ACCESS_KEY, S3MOCK_SECRET_KEY, Stream.concat(
                Stream.of("tagCountHeader", "false"), Arrays.stream(extra)).toArray(String[]::new));
    }

    private static Map<String, String> s3Options(String endpoint, String accessKey, String secretKey,
            String... extra) {
        Map<String, String> o = new TreeMap<>(Map.of("endpoint", endpoint, "pathStyle", "true",
                "accessKeyId", accessKey, "secretAccessKey", secretKey));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            o.put(extra[i], extra[i + 1]);
        }
        return o;
    }

    /** The same options as {@code --source-option}/{@code --target-option} arguments of the CLI. */
    public static List<String> cliOptions(String flag, Map<String, String> options) {
        List<String> args = new ArrayList<>();
        options.forEach((k, v) -> args.add(flag + "=" + k + "=" + v));
        return args;
    }

    /** A plain S3 client with the settings S3Proxy needs (no aws-chunked bodies, checksums only when required). */
    public static S3Client s3() {
        return s3(S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY);
    }

    /** A plain S3 client of S3Mock, with the same settings as {@link #s3()} (those of the {@code s3} connector). */
    public static S3Client s3Mock() {
        return s3(S3MOCK_ENDPOINT, S3MOCK_ACCESS_KEY, S3MOCK_SECRET_KEY);
    }

    private static S3Client s3(String endpoint, String accessKey, String secretKey) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKey, secretKey)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build()).build();
    }

    public static BlobServiceClient azure() {
        return new BlobServiceClientBuilder().connectionString(AZURE_CONNECTION_STRING).buildClient();
    }

    /** A bucket or container name no other test uses (3-63 lower-case letters, digits, hyphens). */
    public static String freshName(String hint) {
        return ("cx-" + hint + "-" + Long.toString(ProcessHandle.current().pid(), 36) + "-"
                + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-" + NAMES.incrementAndGet())
                .toLowerCase(Locale.ROOT);
    }

    /** Every object key of a bucket (decoded), without S3Proxy's directory markers. */
    public static List<String> s3Keys(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).encodingType(EncodingType.URL)).contents().stream()
                .map(S3Object::key).filter(k -> !k.endsWith("/")).filter(k -> !isDirectoryMarker(s3, bucket, k))
                .toList();
    }

    private static boolean isDirectoryMarker(S3Client s3, String bucket, String key) {
        var head = s3.headObject(r -> r.bucket(bucket).key(key));
        return head.contentLength() == 0 && "application/x-directory".equals(head.contentType());
    }

    /** Every object under {@code prefix} with its bytes, keyed relative to the prefix. */
    public static Map<String, byte[]> s3Objects(S3Client s3, String bucket, String prefix) {
        Map<String, byte[]> out = new TreeMap<>();
        for (String key : s3Keys(s3, bucket)) {
            if (key.startsWith(prefix)) {
                out.put(key.substring(prefix.length()), s3.getObjectAsBytes(r -> r.bucket(bucket).key(key))
                        .asByteArray());
            }
        }
        return out;
    }

    /** Every blob under {@code prefix} with its bytes, keyed relative to the prefix. */
    public static Map<String, byte[]> azureObjects(BlobServiceClient azure, String container, String prefix) {
        BlobContainerClient c = azure.getBlobContainerClient(container);
        Map<String, byte[]> out = new TreeMap<>();
        for (BlobItem item : c.listBlobs()) {
            if (item.getName().startsWith(prefix)) {
                out.put(item.getName().substring(prefix.length()),
                        c.getBlobClient(item.getName()).downloadContent().toBytes());
            }
        }
        return out;
    }

    /** Removes a bucket with everything in it (objects and unfinished uploads); nothing when it does not exist. */
    public static void deleteBucket(S3Client s3, String bucket) {
        try {
            s3.listMultipartUploadsPaginator(r -> r.bucket(bucket)).uploads().forEach(u ->
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId())));
            List<String> keys = new ArrayList<>(s3.listObjectsV2Paginator(r -> r.bucket(bucket)
                    .encodingType(EncodingType.URL)).contents().stream().map(S3Object::key).toList());
            Collections.reverse(keys); // children before the directory markers of S3Proxy's file backend
            for (String key : keys) {
                s3.deleteObject(r -> r.bucket(bucket).key(key));
            }
            s3.deleteBucket(r -> r.bucket(bucket));
        } catch (NoSuchBucketException gone) {
            // nothing to clean
        }
    }

    private static String setting(String env, String property, String fallback) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            v = System.getProperty(property);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * The blobs of {@code c} named {@code *.bin} that hold uncommitted blocks only (a block upload under way, or left
     * behind); not the write probe's, whose one block Azure discards after 7 days by design.
     */
    public static List<String> blobsWithUncommittedBlocksOnly(BlobContainerClient c) {
        List<String> committed = c.listBlobs().stream().map(BlobItem::getName).toList();
        return c.listBlobs(new ListBlobsOptions().setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true)),
                null).stream().map(BlobItem::getName).filter(name -> name.endsWith(".bin"))
                .filter(name -> !committed.contains(name)).toList();
    }
}
