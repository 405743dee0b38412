package dev.caravan.examples.cloud;

import com.azure.storage.blob.BlobServiceClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 (S3Proxy unless given another client) and Azurite clients of a test class and the buckets and containers it
 * names, removed with all they hold once its tests are done. Register it as a static {@code @RegisterExtension} field.
 */
final class CloudScratch implements AfterAllCallback {
    private final S3Client s3;
    private final BlobServiceClient azure = CloudServers.azure();
    private final List<String> buckets = new ArrayList<>();
    private final List<String> containers = new ArrayList<>();

    /** Scratch space on S3Proxy and Azurite. */
    CloudScratch() {
        this(CloudServers.s3());
    }

    /** Scratch space on the S3 server of {@code s3} (closed after the tests) and Azurite. */
    CloudScratch(S3Client s3) {
        this.s3 = s3;
    }

    S3Client s3() {
        return s3;
    }

    BlobServiceClient azure() {
        return azure;
    }

    /** A fresh bucket name (the bucket is not created), deleted after the tests. */
    synchronized String bucketName(String hint) {
        String b = CloudServers.freshName(hint);
        buckets.add(b);
        return b;
    }

    /** A fresh container name (the container is not created), deleted after the tests. */
    synchronized String containerName(String hint) {
        String c = CloudServers.freshName(hint);
        containers.add(c);
        return c;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        buckets.forEach(b -> CloudServers.deleteBucket(s3, b));
        containers.forEach(c -> azure.getBlobContainerClient(c).deleteIfExists());
        s3.close();
    }
}
