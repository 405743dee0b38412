package dev.caravan.connector.s3;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * The {@code s3} scheme: objects of an Amazon S3 bucket, or of any S3-compatible server (MinIO, Ceph, S3Proxy, ...),
 * under an optional key prefix: {@code s3:my-bucket} or {@code s3:my-bucket/some/prefix}. Stateless and
 * thread-safe; found by {@link java.util.ServiceLoader}. Every option is declared here as data; the connector
 * reference (docs/connectors/s3.md) lists them.
 */
public final class S3StoreProvider implements StoreProvider {
    private static final Logger LOG = LoggerFactory.getLogger(S3StoreProvider.class);


    /** The URI scheme. */
    public static final String SCHEME = "s3";

    public static final OptionDef ENDPOINT = OptionDef.of("endpoint", OptionType.STRING,
            "URL of an S3-compatible server, e.g. http://127.0.0.1:9000 (MinIO, Ceph, S3Proxy). Empty: Amazon S3 "
                    + "of the region. Most servers other than AWS also need pathStyle=true.");

    public static final OptionDef REGION = OptionDef.of("region", OptionType.STRING,
            "Region of the bucket, used to sign requests (and to find the AWS endpoint when no endpoint is given).")
            .withDefault("us-east-1");

    public static final OptionDef PATH_STYLE = OptionDef.of("pathStyle", OptionType.BOOLEAN,
            "Address buckets as ENDPOINT/BUCKET/KEY instead of BUCKET.ENDPOINT/KEY. Needed by most S3-compatible "
                    + "servers (S3Proxy, MinIO without domain setup) and for bucket names with dots over TLS.")
            .withDefault("false");

    public static final OptionDef PROFILE = OptionDef.of("profile", OptionType.STRING,
            "Named profile of the shared AWS files (~/.aws/credentials, ~/.aws/config) whose credentials to use. "
                    + "Empty, and no access key given: the default chain (environment, system properties, default "
                    + "profile, web identity, container or instance role).");

    public static final OptionDef ACCESS_KEY_ID = OptionDef.of("accessKeyId", OptionType.STRING,
            "Access key id of static credentials; needs secretAccessKey. Masked in logs and reports.").asSecret();

    public static final OptionDef SECRET_ACCESS_KEY = OptionDef.of("secretAccessKey", OptionType.PASSWORD,
            "Secret access key of static credentials; needs accessKeyId. Masked in logs and reports.");

    public static final OptionDef SESSION_TOKEN = OptionDef.of("sessionToken", OptionType.PASSWORD,
            "Session token of temporary credentials (STS), with accessKeyId and secretAccessKey. Masked.");

    public static final OptionDef CREATE_BUCKET = OptionDef.of("createBucket", OptionType.BOOLEAN,
            "Create the bucket when it does not exist, with the first object written (a plan, dry run or "
                    + "verification creates nothing). Off by default so that a mistyped bucket name fails at once (in "
                    + "`caravan plan`) instead of creating a new bucket.")
            .withDefault("false");

    public static final OptionDef STORAGE_CLASS = OptionDef.of("storageClass", OptionType.ENUM,
            "Storage class of written objects, e.g. STANDARD_IA or GLACIER_IR. Empty: the bucket's default. "
                    + "Server-side copies keep the source's class unless this is set.")
            .withAllowed(storageClasses());

    public static final OptionDef PART_SIZE = OptionDef.of("partSize", OptionType.SIZE,
            "Size of the parts of a multipart upload (5M to 1G). Each part in flight is held in memory once, so "
                    + "memory per object is about partSize x (uploadConcurrency + 1). Raised automatically for "
                    + "objects of known size that would need more than 10,000 parts.")
            .withDefault("16M");

    public static final OptionDef MULTIPART_THRESHOLD = OptionDef.of("multipartThreshold", OptionType.SIZE,
            "Objects of known size above this are uploaded in parts (in parallel, each part checked by the server: "
                    + "Content-MD5 over HTTPS, the signed SHA-256 of its payload over plain HTTP); smaller ones with "
                    + "one PUT. Objects of unknown size go up in parts as soon as they exceed partSize.")
            .withDefault("64M");

    public static final OptionDef UPLOAD_CONCURRENCY = OptionDef.of("uploadConcurrency", OptionType.INT,
            "Parts of one object uploaded (or copied server-side) at the same time, 1 to 64.")
            .withDefault("4");

    public static final OptionDef BUFFER_MEMORY = OptionDef.of("bufferMemory", OptionType.SIZE,
            "Upper bound of the memory for part buffers, shared by all uploads of this store; a part waits for "
                    + "memory instead of exceeding it. Must hold at least one part.")
            .withDefault("96M");

    public static final OptionDef COPY_PART_SIZE = OptionDef.of("copyPartSize", OptionType.SIZE,
            "Size of the parts of a server-side multipart copy (UploadPartCopy), 5M to 5G. No bytes pass through "
                    + "Caravan, so large parts cost no memory.")
            .withDefault("512M");

    public static final OptionDef MULTIPART_COPY_THRESHOLD = OptionDef.of("multipartCopyThreshold", OptionType.SIZE,
            "Objects above this are copied server-side in parts (UploadPartCopy) instead of one CopyObject. At most "
                    + "5G, the largest object one CopyObject can copy.")
            .withDefault("5G");

    public static final OptionDef LIST_METADATA = OptionDef.of("listMetadata", OptionType.BOOLEAN,
            "Read each listed object's metadata (one HEAD request per object, 32 at a time) so that listings carry "
                    + "the modification time Caravan kept and the SHA-256 it stored: verification then needs no "
                    + "download. Off: listings carry S3's upload time (LastModified) and no hashes; one request per "
                    + "1,000 objects. The plan of a copy, sync or move does not use this listing: it lists without "
                    + "HEADs and sends one only for an object the journal cannot vouch for (see Requests and speed).")
            .withDefault("true");

    public static final OptionDef TAGS = OptionDef.of("tags", OptionType.BOOLEAN,
            "Carry object tags: written with the object (x-amz-tagging) and read with one GetObjectTagging per "
                    + "copied object that has tags (HEAD's tag count tells; untagged objects cost nothing more). "
                    + "Listings carry no tags: a rerun compares them with --compare checksum only. "
                    + "Needs s3:GetObjectTagging and s3:PutObjectTagging. When the server has no tagging (S3Proxy; "
                    + "found with one request when the store opens) or this is off, tags are reported as not "
                    + "kept, object by object.")
            .withDefault("true");

    public static final OptionDef TAG_COUNT_HEADER = OptionDef.of("tagCountHeader", OptionType.BOOLEAN,
            "Whether the server's HEAD tells an object's tag count (x-amz-tagging-count), as S3 does: then only "
                    + "objects with tags cost a GetObjectTagging. Set false for a server that never sends it "
                    + "(S3Mock, some S3-compatible stores): with tags on, each object's stat then reads its tags "
                    + "(one more request per object). Left true there, the tags of its objects are not read, so "
                    + "they are neither copied nor reported.")
            .withDefault("true");

    public static final OptionDef REQUESTS_PER_SECOND = OptionDef.of("requestsPerSecond", OptionType.INT,
            "Upper bound of requests per second to this endpoint, shared by every store and transfer of the "
                    + "process that uses the same endpoint. 0: no limit (throttling answers such as 503 SlowDown are "
                    + "honoured either way).")
            .withDefault("0");

    public static final OptionDef SDK_RETRIES = OptionDef.of("sdkRetries", OptionType.INT,
            "Quick retries of one request inside the AWS SDK before a failure reaches Caravan's own retry with "
                    + "backoff. 0 leaves every retry to Caravan.")
            .withDefault("2");

    public static final OptionDef CONNECT_TIMEOUT = OptionDef.of("connectTimeout", OptionType.DURATION,
            "How long to wait for a TCP connection to the endpoint.")
            .withDefault("10s");

    public static final OptionDef READ_TIMEOUT = OptionDef.of("readTimeout", OptionType.DURATION,
            "How long a request may wait for the next bytes of a response before it fails (and is retried).")
            .withDefault("60s");

    public static final OptionDef MAX_CONNECTIONS = OptionDef.of("maxConnections", OptionType.INT,
            "Size of the HTTP connection pool of this store.")
            .withDefault("64");

    public static final OptionDef DIRECT_REQUESTS = OptionDef.of("directRequests", OptionType.BOOLEAN,
            "Send an object's single PUT (objects up to partSize), its HEAD, its GET and its server-side "
                    + "CopyObject signed with the AWS SDK's SigV4 signer straight over a JDK HTTP connection, without "
                    + "the SDK client's request pipeline: same requests, same Content-MD5 check, same retries and "
                    + "throttling, about half the CPU per small object. Off: every request goes through the SDK "
                    + "client. Not used for access point ARNs, S3 Express directory buckets or when HTTP(S)_PROXY is "
                    + "set.")
            .withDefault("true");

    public static final OptionDef SERVER_SIDE_ENCRYPTION = OptionDef.of("serverSideEncryption", OptionType.ENUM,
            "Encryption at rest of written objects (puts, multipart uploads, server-side copies): AES256 (SSE-S3), "
                    + "aws:kms (SSE-KMS, with sseKmsKeyId or the account's default key) or aws:kms:dsse. Empty: the "
                    + "bucket's default encryption. Needed where a bucket policy denies unencrypted puts.")
            .withAllowed(serverSideEncryptions());

    public static final OptionDef SSE_KMS_KEY_ID = OptionDef.of("sseKmsKeyId", OptionType.STRING,
            "KMS key (id, alias or ARN) of serverSideEncryption=aws:kms or aws:kms:dsse. Empty: the account's "
                    + "AWS managed key.");

    public static final OptionDef SSE_CUSTOMER_KEY = OptionDef.of("sseCustomerKey", OptionType.PASSWORD,
            "Customer-provided key (SSE-C): 32 random bytes in Base64 (openssl rand -base64 32). Objects written are "
                    + "encrypted with it, and every object of this location is read with it (an object encrypted "
                    + "otherwise cannot be read through this store). S3 keeps no copy: without the key the objects "
                    + "are lost. S3 takes it over https only. Not with serverSideEncryption; every request then goes "
                    + "through the SDK client (directRequests is not used).")
            .withValidator(S3CustomerKey::problem);

    public static final OptionDef ACL = OptionDef.of("acl", OptionType.ENUM,
            "Canned ACL of written objects, e.g. bucket-owner-full-control when writing into another account's "
                    + "bucket. Empty: none is sent (the bucket's ownership settings decide; buckets with ACLs "
                    + "disabled refuse any other than bucket-owner-full-control).")
            .withAllowed(cannedAcls());

    public static final OptionDef REQUESTER_PAYS = OptionDef.of("requesterPays", OptionType.BOOLEAN,
            "Send x-amz-request-payer: requester with every request, to read or write a Requester Pays bucket "
                    + "(the requests and transfer are billed to you). Every request then goes through the SDK "
                    + "client (directRequests is not used).")
            .withDefault("false");

    private static final Options OPTIONS = Options.of("connector " + SCHEME, ENDPOINT, REGION, PATH_STYLE, PROFILE,
            ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, CREATE_BUCKET, STORAGE_CLASS, SERVER_SIDE_ENCRYPTION,
            SSE_KMS_KEY_ID, SSE_CUSTOMER_KEY, ACL, REQUESTER_PAYS, PART_SIZE,
            MULTIPART_THRESHOLD, UPLOAD_CONCURRENCY, BUFFER_MEMORY, COPY_PART_SIZE, MULTIPART_COPY_THRESHOLD,
            LIST_METADATA, TAGS, TAG_COUNT_HEADER, REQUESTS_PER_SECOND, SDK_RETRIES, CONNECT_TIMEOUT, READ_TIMEOUT, MAX_CONNECTIONS,
            DIRECT_REQUESTS);

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String description() {
        return "Objects in an Amazon S3 bucket or an S3-compatible server, under an optional key prefix";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    /**
     * Opens {@code bucket} or {@code bucket/prefix}: checks that the bucket exists (with {@code createBucket=true} a
     * missing one is created by the first write) and that the credentials are accepted, so configuration mistakes fail
     * here with {@link dev.caravan.api.error.ErrorKind#USER_CONFIG} rather than in the middle of a run.
     *
     * @param config options resolved by {@link #options()}; {@code null} means all defaults
     */
    @Override
    public ObjectStore open(String location, Config config) {
        S3Location where = S3Location.parse(location);
        Config resolved = config == null ? OPTIONS.resolve(Map.of()) : config;
        S3Settings settings = S3Settings.from(resolved);
        if (settings.customerKey() != null && !settings.tls()) {
            LOG.warn("sseCustomerKey goes to {} over plain http, readable by anyone on the way; AWS S3 and most "
                    + "S3 servers refuse customer keys without https", settings.endpointName());
        }
        return S3ObjectStore.open(where, settings);
    }

    /** Loads and sets up the AWS SDK's S3 client classes ({@link S3Clients#warmUp}); sends nothing. */
    @Override
    public void warmUp() {
        S3Clients.warmUp();
    }

    private static String[] serverSideEncryptions() {
        return sortedNames(ServerSideEncryption.knownValues());
    }

    private static String[] cannedAcls() {
        return sortedNames(ObjectCannedACL.knownValues());
    }

    private static String[] storageClasses() {
        return sortedNames(StorageClass.knownValues());
    }

    /** The values of an SDK enumeration as S3 spells them, sorted. */
    private static String[] sortedNames(java.util.Set<?> values) {
        return values.stream().map(Object::toString).sorted().toArray(String[]::new);
    }
}
