package dev.caravan.connector.s3;

import dev.caravan.api.config.Config;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ServerIdentity;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The resolved options of one S3 store, after the cross-field checks that {@link S3StoreProvider#options()} cannot
 * express one option at a time. Immutable; {@link #toString()} masks the secrets.
 *
 * @param endpoint               endpoint override, or {@code null} for AWS S3 of the region
 * @param region                 signing region
 * @param pathStyle              path-style requests ({@code endpoint/bucket/key})
 * @param profile                named profile of the shared AWS config files, or {@code null}
 * @param accessKeyId            static access key id, or {@code null}
 * @param secretAccessKey        static secret key, or {@code null}
 * @param sessionToken           session token of temporary credentials, or {@code null}
 * @param createBucket           create a missing bucket when the store is opened
 * @param storageClass           storage class of written objects, or {@code null} for the bucket default
 * @param partSize               bytes per part of multipart uploads
 * @param multipartThreshold     objects of known size above this go up in parts
 * @param uploadConcurrency      parts of one object in flight at once
 * @param bufferMemory           memory for part buffers shared by all uploads of the store
 * @param copyPartSize           bytes per part of a server-side multipart copy
 * @param multipartCopyThreshold objects above this are copied server-side in parts (UploadPartCopy)
 * @param listMetadata           read each listed object's metadata (kept time, stored SHA-256)
 * @param requestsPerSecond      request-rate limit of the endpoint, 0 for none
 * @param sdkRetries             retries of one request inside the SDK
 * @param connectTimeout         TCP connect timeout
 * @param readTimeout            socket read timeout
 * @param maxConnections         size of the HTTP connection pool
 * @param tags                   read and write object tags (where the server has them)
 * @param tagCountHeader         the server's HEAD tells the tag count ({@code x-amz-tagging-count}); when not, every
 *                               object's tags are read
 * @param directRequests         send an object's PUT, HEAD and GET without the SDK client's pipeline ({@link S3Direct})
 * @param serverSideEncryption   encryption at rest of written objects (AES256, aws:kms, aws:kms:dsse), or {@code null}
 *                               for the bucket's default
 * @param sseKmsKeyId            KMS key of aws:kms encryption, or {@code null}
 * @param acl                    canned ACL of written objects, or {@code null} for none
 * @param requesterPays          every request says the requester pays
 * @param customerKey            SSE-C key every object of the store is written and read with, or {@code null}
 */
record S3Settings(
        URI endpoint,
        String region,
        boolean pathStyle,
        String profile,
        String accessKeyId,
        String secretAccessKey,
        String sessionToken,
        boolean createBucket,
        String storageClass,
        long partSize,
        long multipartThreshold,
        int uploadConcurrency,
        long bufferMemory,
        long copyPartSize,
        long multipartCopyThreshold,
        boolean listMetadata,
        int requestsPerSecond,
        int sdkRetries,
        Duration connectTimeout,
        Duration readTimeout,
        int maxConnections,
        boolean tags,
        boolean tagCountHeader,
        boolean directRequests,
        String serverSideEncryption,
        String sseKmsKeyId,
        String acl,
        boolean requesterPays,
        S3CustomerKey customerKey) {

    /** S3's smallest part (all but the last). */
    static final long MIN_PART = 5L << 20;
    /** S3's largest part, and the largest object one CopyObject can copy. */
    static final long MAX_PART = 5L << 30;
    /** The largest part held in memory (Java arrays stop at 2 GiB; S3 would take 5 GiB). */
    static final long MAX_BUFFERED_PART = 1L << 30;
    /** S3's largest number of parts of one upload. */
    static final int MAX_PARTS = 10_000;

    /** Reads and cross-checks resolved options; problems fail with USER_CONFIG naming the options to change. */
    static S3Settings from(Config c) {
        List<String> problems = new ArrayList<>();
        URI endpoint = endpoint(c.string(S3StoreProvider.ENDPOINT.name()), problems);
        String accessKeyId = blankToNull(c.string(S3StoreProvider.ACCESS_KEY_ID.name()));
        String secret = blankToNull(c.string(S3StoreProvider.SECRET_ACCESS_KEY.name()));
        String token = blankToNull(c.string(S3StoreProvider.SESSION_TOKEN.name()));
        String profile = blankToNull(c.string(S3StoreProvider.PROFILE.name()));
        if ((accessKeyId == null) != (secret == null)) {
            problems.add("accessKeyId and secretAccessKey go together: give both, or neither to use the default "
                    + "credential chain (environment, profile, instance role)");
        }
        if (token != null && accessKeyId == null) {
            problems.add("sessionToken needs accessKeyId and secretAccessKey (temporary credentials have all three)");
        }
        if (profile != null && accessKeyId != null) {
            problems.add("give either profile or accessKeyId/secretAccessKey, not both");
        }
        long partSize = c.size(S3StoreProvider.PART_SIZE.name()).orElseThrow();
        if (partSize < MIN_PART || partSize > MAX_BUFFERED_PART) {
            problems.add("partSize must be between 5M (S3's smallest part) and 1G (parts are held in memory), got "
                    + partSize + " bytes");
        }
        long threshold = c.size(S3StoreProvider.MULTIPART_THRESHOLD.name()).orElseThrow();
        if (threshold < 0 || threshold > MAX_PART) {
            problems.add("multipartThreshold must be between 0 and 5G (the largest single PUT), got " + threshold);
        }
        int concurrency = c.intValue(S3StoreProvider.UPLOAD_CONCURRENCY.name(), 4);
        if (concurrency < 1 || concurrency > 64) {
            problems.add("uploadConcurrency must be between 1 and 64, got " + concurrency);
        }
        long bufferMemory = c.size(S3StoreProvider.BUFFER_MEMORY.name()).orElseThrow();
        if (bufferMemory < partSize) {
            problems.add("bufferMemory (" + bufferMemory + " bytes) must hold at least one part of partSize ("
                    + partSize + " bytes): raise bufferMemory or lower partSize");
        }
        long copyPart = c.size(S3StoreProvider.COPY_PART_SIZE.name()).orElseThrow();
        if (copyPart < MIN_PART || copyPart > MAX_PART) {
            problems.add("copyPartSize must be between 5M and 5G, got " + copyPart + " bytes");
        }
        long copyThreshold = c.size(S3StoreProvider.MULTIPART_COPY_THRESHOLD.name()).orElseThrow();
        if (copyThreshold < 0 || copyThreshold > MAX_PART) {
            problems.add("multipartCopyThreshold must be between 0 and 5G (the largest CopyObject), got "
                    + copyThreshold);
        }
        int rate = c.intValue(S3StoreProvider.REQUESTS_PER_SECOND.name(), 0);
        if (rate < 0) {
            problems.add("requestsPerSecond must be 0 (no limit) or more, got " + rate);
        }
        int retries = c.intValue(S3StoreProvider.SDK_RETRIES.name(), 2);
        if (retries < 0 || retries > 10) {
            problems.add("sdkRetries must be between 0 and 10, got " + retries);
        }
        int connections = c.intValue(S3StoreProvider.MAX_CONNECTIONS.name(), 64);
        if (connections < 1) {
            problems.add("maxConnections must be at least 1, got " + connections);
        }
        String region = c.string(S3StoreProvider.REGION.name()).trim();
        if (!region.matches("[a-z0-9-]+")) {
            problems.add("region must look like us-east-1, got '" + region + "'");
        }
        String sse = canonical(S3StoreProvider.SERVER_SIDE_ENCRYPTION, c);
        String kmsKey = blankToNull(c.string(S3StoreProvider.SSE_KMS_KEY_ID.name()));
        if (kmsKey != null && (sse == null || !sse.startsWith("aws:kms"))) {
            problems.add("sseKmsKeyId needs serverSideEncryption=aws:kms (or aws:kms:dsse)");
        }
        String customerKey = blankToNull(c.string(S3StoreProvider.SSE_CUSTOMER_KEY.name()));
        if (customerKey != null && sse != null) {
            problems.add("sseCustomerKey (SSE-C) and serverSideEncryption are two kinds of encryption: give one");
        }
        if (!problems.isEmpty()) {
            throw MigrationException.userConfig("connector s3: " + String.join("; ", problems));
        }
        String storageClass = blankToNull(c.string(S3StoreProvider.STORAGE_CLASS.name()));
        return new S3Settings(endpoint, region, c.bool(S3StoreProvider.PATH_STYLE.name()), profile, accessKeyId,
                secret, token, c.bool(S3StoreProvider.CREATE_BUCKET.name()),
                storageClass == null ? null : storageClass.toUpperCase(Locale.ROOT), partSize, threshold, concurrency,
                bufferMemory, copyPart, copyThreshold, c.bool(S3StoreProvider.LIST_METADATA.name()), rate, retries,
                c.duration(S3StoreProvider.CONNECT_TIMEOUT.name()).orElseThrow(),
                c.duration(S3StoreProvider.READ_TIMEOUT.name()).orElseThrow(), connections,
                c.bool(S3StoreProvider.TAGS.name()), c.bool(S3StoreProvider.TAG_COUNT_HEADER.name()),
                c.bool(S3StoreProvider.DIRECT_REQUESTS.name()), sse, kmsKey,
                canonical(S3StoreProvider.ACL, c), c.bool(S3StoreProvider.REQUESTER_PAYS.name()),
                S3CustomerKey.of(customerKey));
    }

    /** An enumerated option's value as S3 spells it ({@code aes256} is sent as {@code AES256}), or {@code null}. */
    private static String canonical(dev.caravan.api.config.OptionDef def, Config c) {
        String value = blankToNull(c.string(def.name()));
        return value == null ? null : def.allowed().stream().filter(value::equalsIgnoreCase).findFirst().orElse(value);
    }

    /** The endpoint as users know it, for messages: the override, or AWS S3 of the region. */
    String endpointName() {
        return endpoint != null ? endpoint.toString() : "https://s3." + region + ".amazonaws.com";
    }

    /**
     * The server of this endpoint for the overlap check ({@link S3ObjectStore#rootLocation}): {@code aws} (or
     * {@code aws-cn}) for any endpoint of Amazon S3, else its {@link ServerIdentity#endpoint}.
     */
    String endpointIdentity() {
        if (endpoint == null) {
            return "aws";
        }
        String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".amazonaws.com.cn")) {
            return "aws-cn";
        }
        return host.endsWith(".amazonaws.com") ? "aws" : ServerIdentity.endpoint(endpoint.toString());
    }

    /**
     * The largest object a put sends in one request: {@code multipartThreshold} over TLS (up to it one PUT, streamed
     * above {@code partSize}); over plain HTTP the smaller of it and {@code partSize}, since {@link S3Uploader} sends
     * larger objects in parts there.
     */
    long largestSingleRequest() {
        return tls() ? multipartThreshold : Math.min(partSize, multipartThreshold);
    }

    /** Whether requests travel over TLS (then payloads need not be signed and can stream). */
    boolean tls() {
        return endpoint == null || "https".equalsIgnoreCase(endpoint.getScheme());
    }

    /**
     * Whether requests of both stores go to the same endpoint as the same principal, so one can copy from the other
     * server-side. Compares the secrets in memory; they are never printed.
     */
    boolean sameAccountAs(S3Settings other) {
        return endpointName().equals(other.endpointName()) && region.equals(other.region)
                && Objects.equals(profile, other.profile) && Objects.equals(accessKeyId, other.accessKeyId)
                && Objects.equals(secretAccessKey, other.secretAccessKey)
                && Objects.equals(sessionToken, other.sessionToken);
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpointName() + ", region=" + region + ", pathStyle=" + pathStyle
                + ", profile=" + profile + ", accessKeyId=" + mask(accessKeyId) + ", secretAccessKey="
                + mask(secretAccessKey) + ", sessionToken=" + mask(sessionToken) + ", partSize=" + partSize
                + ", multipartThreshold=" + multipartThreshold + ", uploadConcurrency=" + uploadConcurrency + "]";
    }

    private static String mask(String secret) {
        return secret == null ? null : "****";
    }

    private static URI endpoint(String text, List<String> problems) {
        String t = blankToNull(text);
        if (t == null) {
            return null;
        }
        String notHttp = "endpoint must be an http or https URL such as http://127.0.0.1:9000, got '" + t + "'";
        try {
            URI uri = new URI(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                problems.add(notHttp);
                return null;
            }
            if (uri.getUserInfo() != null) {
                problems.add("endpoint must not carry credentials; use accessKeyId and secretAccessKey");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add(notHttp); // such as 127.0.0.1:9000, where the URI parser sees a scheme "127.0.0.1"
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
