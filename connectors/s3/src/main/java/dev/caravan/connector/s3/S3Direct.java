package dev.caravan.connector.s3;

import dev.caravan.api.error.ErrorKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The requests a small-object copy sends per object, without the SDK client's request pipeline (interceptors,
 * endpoint rules, auth-scheme resolution, marshalling, metrics): a PutObject of a body held in memory, a HeadObject
 * (the engine's stat before a copy), a GetObject (streamed) and a server-side CopyObject. Each is signed with the
 * SDK's own SigV4 signer ({@link AwsV4HttpSigner}: payload signed, S3's path rules) and sent over the JDK's
 * {@link HttpURLConnection} on the calling thread. For small objects that pipeline costs more CPU than the request
 * itself: 2,000 PUTs of 32 KiB against S3Proxy took 3.3-4.7 CPU seconds through the SDK client and 1.6 this way (see
 * docs/connectors/s3.md, "Requests and speed").
 *
 * <p>What stays the same as through the SDK client: the URL (the client's own {@code getUrl} for the bucket, so
 * path-style, virtual-host and region endpoints agree), the headers (a PUT's from the same {@link PutObjectRequest};
 * HEAD and GET answers become the SDK's response objects field by field from the model's own header bindings),
 * Content-MD5 (the server checks the bytes), the endpoint's {@link EndpointGate} before every attempt and its
 * throttling bookkeeping after, up to {@code sdkRetries} quick retries of transient failures, and failures as
 * {@link S3Exception}s with the server's status, error code and headers, so {@link S3Errors} classifies them as
 * before. Only used where it can be exact: plain bucket names (no access point ARN, no S3 Express directory bucket)
 * and no proxy from the environment (which the SDK's HTTP client honours and {@link HttpURLConnection} does not);
 * elsewhere {@link #forStore} gives nothing and the SDK client sends every request. Thread-safe.
 */
final class S3Direct {
    private static final Pattern PLAIN_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
    private static final Pattern REQUEST_ID = Pattern.compile("<RequestId>([^<]*)</RequestId>");
    private static final Pattern ETAG = Pattern.compile("<ETag>([^<]*)</ETag>");
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    static {
        // the JDK keeps at most 5 idle connections per server unless told otherwise; with more transfers than that,
        // each request beyond the fifth would open a new connection (set only when the user has not chosen a value)
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "64");
        }
    }

    private final String base;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final EndpointGate gate;
    private final int retries;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    private S3Direct(String base, S3Settings settings, AwsCredentialsProvider credentials, EndpointGate gate) {
        this.base = base;
        this.region = settings.region();
        this.credentials = credentials;
        this.gate = gate;
        this.retries = settings.sdkRetries();
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.readTimeout().toMillis());
    }

    /**
     * The direct requests of a store, or empty when all its requests must go through the SDK client: the option
     * {@code directRequests} is off, the bucket is not a plain bucket name, or a proxy is configured in the environment.
     */
    static Optional<S3Direct> forStore(S3Client client, String bucket, S3Settings settings,
            AwsCredentialsProvider credentials, EndpointGate gate) {
        if (!settings.directRequests() || settings.requesterPays() || settings.customerKey() != null
                || !PLAIN_BUCKET.matcher(bucket).matches()
                || bucket.endsWith("--x-s3") || proxyInEnvironment()) {
            return Optional.empty();
        }
        try {
            String probe = "caravan-probe";
            String url = client.utilities().getUrl(r -> r.bucket(bucket).key(probe)).toExternalForm();
            if (!url.endsWith("/" + probe) || !(url.startsWith("http://") || url.startsWith("https://"))) {
                return Optional.empty();
            }
            return Optional.of(new S3Direct(url.substring(0, url.length() - probe.length()), settings, credentials,
                    gate));
        } catch (RuntimeException e) {
            return Optional.empty(); // an endpoint the SDK's rules resolve per request: leave it to the client
        }
    }

    private static boolean proxyInEnvironment() {
        for (String name : List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")) {
            String v = System.getenv(name);
            if (v != null && !v.isBlank()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The headers of a PutObject as the SDK client would send them, or empty when the request sets a field this
     * class does not carry (then the SDK client must send it, so nothing is dropped): bucket, key, metadata
     * ({@code x-amz-meta-}, names trimmed as the SDK does), Content-Type, the four content headers, tagging,
     * storage class, Content-MD5 and Content-Length.
     */
    static Optional<Map<String, String>> headers(PutObjectRequest put) {
        PutObjectRequest.Builder known = PutObjectRequest.builder().bucket(put.bucket()).key(put.key())
                .contentLength(put.contentLength()).contentMD5(put.contentMD5()).contentType(put.contentType())
                .cacheControl(put.cacheControl()).contentDisposition(put.contentDisposition())
                .contentEncoding(put.contentEncoding()).contentLanguage(put.contentLanguage()).tagging(put.tagging())
                .storageClass(put.storageClassAsString()).serverSideEncryption(put.serverSideEncryptionAsString())
                .ssekmsKeyId(put.ssekmsKeyId()).acl(put.aclAsString());
        if (put.hasMetadata()) {
            known.metadata(put.metadata());
        }
        if (!known.build().equals(put) || put.overrideConfiguration().isPresent()) {
            return Optional.empty();
        }
        Map<String, String> h = new java.util.LinkedHashMap<>();
        put.metadata().forEach((k, v) -> h.put("x-amz-meta-" + k.trim(), v));
        h.put("Content-Type", put.contentType() != null ? put.contentType() : "application/octet-stream");
        putIf(h, "Cache-Control", put.cacheControl());
        putIf(h, "Content-Disposition", put.contentDisposition());
        putIf(h, "Content-Encoding", put.contentEncoding());
        putIf(h, "Content-Language", put.contentLanguage());
        putIf(h, "x-amz-tagging", put.tagging());
        putIf(h, "x-amz-storage-class", put.storageClassAsString());
        protection(h, put.serverSideEncryptionAsString(), put.ssekmsKeyId(), put.aclAsString());
        putIf(h, "Content-MD5", put.contentMD5());
        return Optional.of(h);
    }

    /** The encryption and canned ACL headers of a write ({@link S3ObjectProtection}). */
    private static void protection(Map<String, String> h, String sse, String kmsKey, String acl) {
        putIf(h, "x-amz-server-side-encryption", sse);
        putIf(h, "x-amz-server-side-encryption-aws-kms-key-id", kmsKey);
        putIf(h, "x-amz-acl", acl);
    }

    private static void putIf(Map<String, String> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
    }

    /**
     * PUTs {@code bytes[0..n)} as {@code fullKey} with {@code headers} (Content-MD5, Content-Type, metadata, ...;
     * Content-Length is set here). Returns the ETag the server answered.
     *
     * @throws software.amazon.awssdk.core.exception.SdkException the server's refusal ({@link S3Exception}) after
     *         the retries, for {@link S3Errors}
     * @throws UncheckedIOException a connection failure after the retries
     */
    String put(PutObjectRequest put, Map<String, String> headers, byte[] bytes, int n) {
        return put(put, headers, bytes, n, null);
    }

    /**
     * {@link #put(PutObjectRequest, Map, byte[], int)} of bytes whose SHA-256 ({@code sha256Hex}, lower-case hex) was
     * computed before: signed as the payload hash, which the server checks against the bytes received, instead of
     * hashing them once more here (as {@link #uploadPart} does).
     */
    String put(PutObjectRequest put, Map<String, String> headers, byte[] bytes, int n, String sha256Hex) {
        return exchange(put, SdkHttpMethod.PUT, put.key(), headers, Map.of(), bytes, n, sha256Hex,
                UnaryOperator.identity()).response().firstMatchingHeader("ETag").orElse(null);
    }

    /**
     * An UploadPart of {@code bytes[0..n)} whose SHA-256 ({@code sha256}, 32 bytes) was computed before: the request
     * carries it as its signed payload hash ({@code x-amz-content-sha256}), which S3 (and S3Proxy) check against the
     * bytes received, refusing the part otherwise (XAmzContentSHA256Mismatch); so the part is not hashed again
     * here. Returns the part's ETag.
     */
    String uploadPart(UploadPartRequest part, byte[] bytes, int n, byte[] sha256, UnaryOperator<InputStream> through) {
        Map<String, String> query = new java.util.LinkedHashMap<>();
        query.put("partNumber", Integer.toString(part.partNumber()));
        query.put("uploadId", part.uploadId());
        return exchange(part, SdkHttpMethod.PUT, part.key(), Map.of(), query, bytes, n,
                java.util.HexFormat.of().formatHex(sha256), through).response().firstMatchingHeader("ETag")
                .orElse(null);
    }

    /**
     * The headers of a CopyObject, or empty when the request sets a field this class does not carry (then the SDK
     * client must send it, so nothing is dropped): source bucket and key, destination bucket and key, the metadata
     * directive {@code COPY}, the condition on the source's ETag and the storage class.
     */
    static Optional<Map<String, String>> copyHeaders(CopyObjectRequest copy) {
        CopyObjectRequest known = CopyObjectRequest.builder().sourceBucket(copy.sourceBucket())
                .sourceKey(copy.sourceKey()).destinationBucket(copy.destinationBucket())
                .destinationKey(copy.destinationKey()).metadataDirective(copy.metadataDirectiveAsString())
                .copySourceIfMatch(copy.copySourceIfMatch()).storageClass(copy.storageClassAsString())
                .serverSideEncryption(copy.serverSideEncryptionAsString()).ssekmsKeyId(copy.ssekmsKeyId())
                .acl(copy.aclAsString()).build();
        if (!known.equals(copy) || copy.overrideConfiguration().isPresent()
                || !"COPY".equals(copy.metadataDirectiveAsString())) {
            return Optional.empty();
        }
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("x-amz-copy-source", SdkHttpUtils.urlEncodeIgnoreSlashes(copy.sourceBucket() + "/" + copy.sourceKey()));
        h.put("x-amz-metadata-directive", "COPY");
        putIf(h, "x-amz-copy-source-if-match", copy.copySourceIfMatch());
        putIf(h, "x-amz-storage-class", copy.storageClassAsString());
        protection(h, copy.serverSideEncryptionAsString(), copy.ssekmsKeyId(), copy.aclAsString());
        return Optional.of(h);
    }

    /**
     * A CopyObject into this store's bucket with {@code headers} (from {@link #copyHeaders}); returns the copy's
     * ETag as the SDK's {@code CopyObjectResult} gives it, {@code null} when the answer names none. S3 may answer 200
     * and report a failure in the body (it starts answering before the copy ends): that fails as an
     * {@link S3Exception} with the body's error code, as the SDK client fails it.
     */
    String copyObject(CopyObjectRequest copy, Map<String, String> headers) {
        for (int attempt = 0; ; attempt++) {
            Answer a = exchange(copy, SdkHttpMethod.PUT, copy.destinationKey(), headers, new byte[0], 0);
            String body = new String(a.content(), StandardCharsets.UTF_8);
            if (first(CODE, body) == null) {
                return first(ETAG, body);
            }
            S3Exception e = failure(a.response().statusCode(), a.response(), body);
            if (!worthRetry(e, attempt)) {
                throw e;
            }
            backoff(attempt);
        }
    }

    /** A HEAD of the request's key, answered as the SDK client's {@code headObject} answers (same failures). */
    HeadObjectResponse head(HeadObjectRequest head) {
        Answer a = exchange(head, SdkHttpMethod.HEAD, head.key(), Map.of(), null, 0);
        HeadObjectResponse.Builder b = HeadObjectResponse.builder();
        fromHeaders(b, a.response());
        return (HeadObjectResponse) b.sdkHttpResponse(a.response()).build();
    }

    /**
     * A GET of the request's key (its range, or the whole object), answered as the SDK client's {@code getObject}
     * answers: the body streams from the connection; aborting the stream drops the connection instead of reading
     * the rest.
     */
    ResponseInputStream<GetObjectResponse> get(GetObjectRequest get) {
        Answer a = exchange(get, SdkHttpMethod.GET, get.key(), get.range() == null ? Map.of()
                : Map.of("Range", get.range()), null, 0);
        GetObjectResponse.Builder b = GetObjectResponse.builder();
        fromHeaders(b, a.response());
        HttpURLConnection c = a.connection();
        return new ResponseInputStream<>((GetObjectResponse) b.sdkHttpResponse(a.response()).build(),
                AbortableInputStream.create(a.body(), c::disconnect));
    }

    /**
     * An answered exchange: the response's status and headers, for a GET the unread body, for the other methods the
     * body read (empty for PUT and HEAD, a document for a CopyObject).
     */
    private record Answer(SdkHttpResponse response, InputStream body, HttpURLConnection connection, byte[] content) {
    }

    private Answer exchange(SdkRequest sdkRequest, SdkHttpMethod method, String fullKey, Map<String, String> headers,
            byte[] bytes, int n) {
        return exchange(sdkRequest, method, fullKey, headers, Map.of(), bytes, n, null, UnaryOperator.identity());
    }

    /**
     * @param query        query parameters (raw; encoded by the signer's rules)
     * @param payloadSha256 the body's SHA-256 computed before (lower-case hex), signed as it is instead of hashing
     *                      the body again; {@code null}: the signer hashes the body
     * @param through       what the body is read through as it is sent (the caller's guard)
     */
    private Answer exchange(SdkRequest sdkRequest, SdkHttpMethod method, String fullKey, Map<String, String> headers,
            Map<String, String> query, byte[] bytes, int n, String payloadSha256, UnaryOperator<InputStream> through) {
        URI uri = URI.create(base + SdkHttpUtils.urlEncodeIgnoreSlashes(fullKey));
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(method).uri(uri);
        headers.forEach(request::putHeader);
        query.forEach(request::putRawQueryParameter);
        if (bytes != null) {
            request.putHeader("Content-Length", Integer.toString(n));
        }
        SdkHttpFullRequest unsigned = request.build();
        ContentStreamProvider body = bytes == null ? InputStream::nullInputStream
                : () -> new ByteArrayInputStream(bytes, 0, n);
        for (int attempt = 0; ; attempt++) {
            try {
                return send(sdkRequest, payloadSha256 == null ? sign(unsigned, body)
                        : PresignedPayload.sign(unsigned, payloadSha256, credentials, region), bytes, n, through);
            } catch (S3Exception | UncheckedIOException e) {
                if (!worthRetry(e, attempt)) {
                    throw e;
                }
                backoff(attempt);
            }
        }
    }

    private SdkHttpRequest sign(SdkHttpFullRequest request, ContentStreamProvider body) {
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        return SIGNER.sign(r -> r.identity(identity).request(request).payload(body)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, false)).request();
    }

    private Answer send(SdkRequest sdkRequest, SdkHttpRequest signed, byte[] bytes, int n,
            UnaryOperator<InputStream> through) {
        gate.acquire();
        GlobalInterceptors.beforeTransmission(sdkRequest, signed);
        String method = signed.method().name();
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) signed.getUri().toURL().openConnection();
            c.setRequestMethod(method);
            // not setUseCaches(false): the JDK would add Cache-Control: no-cache, which S3 stores with the object
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(connectTimeoutMillis);
            c.setReadTimeout(readTimeoutMillis);
            if (bytes != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(n);
            }
            HttpURLConnection conn = c;
            signed.forEachHeader((name, values) -> {
                if (!"Content-Length".equalsIgnoreCase(name) && !"Host".equalsIgnoreCase(name)) {
                    conn.setRequestProperty(name, String.join(",", values));
                }
            });
            if (bytes != null) {
                try (OutputStream out = c.getOutputStream()) {
                    through.apply(new ByteArrayInputStream(bytes, 0, n)).transferTo(out);
                }
            }
            int status = c.getResponseCode();
            Map<String, List<String>> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            c.getHeaderFields().forEach((k, v) -> {
                if (k != null) {
                    responseHeaders.put(k, v);
                }
            });
            SdkHttpResponse response = SdkHttpResponse.builder().statusCode(status).statusText(c.getResponseMessage())
                    .headers(responseHeaders).build();
            if (status / 100 == 2) {
                gate.answered(status, null);
                if ("GET".equals(method)) {
                    return new Answer(response, c.getInputStream(), c, null);
                }
                byte[] content;
                try (InputStream in = c.getInputStream()) {
                    content = in.readAllBytes(); // read to the end so the connection is kept
                }
                return new Answer(response, null, c, content);
            }
            String error;
            try (InputStream in = c.getErrorStream()) {
                error = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            gate.answered(status, S3Errors.retryAfter(response).orElse(null));
            throw failure(status, response, error);
        } catch (IOException e) {
            if (c != null) {
                c.disconnect();
            }
            throw new UncheckedIOException(method + " " + signed.encodedPath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets every header-bound field of an S3 response builder from the answer's headers, as the SDK's unmarshaller
     * does: each field the model declares in a header (its name, its type), the {@code x-amz-meta-} prefix as the
     * metadata map. A value that does not parse is left out, as the SDK leaves out what it cannot read.
     */
    static void fromHeaders(SdkPojo builder, SdkHttpResponse response) {
        for (SdkField<?> field : builder.sdkFields()) {
            if (field.location() != MarshallLocation.HEADER) {
                continue;
            }
            String name = field.locationName();
            if (field.marshallingType() == MarshallingType.MAP) {
                Map<String, String> prefixed = new java.util.LinkedHashMap<>();
                response.forEachHeader((header, values) -> {
                    if (header.regionMatches(true, 0, name, 0, name.length())) {
                        prefixed.put(header.substring(name.length()), String.join(",", values));
                    }
                });
                field.set(builder, prefixed);
                continue;
            }
            Optional<String> value = response.firstMatchingHeader(name);
            if (value.isEmpty()) {
                continue;
            }
            try {
                Object parsed = parse(field.marshallingType(), value.get().trim());
                if (parsed != null) {
                    field.set(builder, parsed);
                }
            } catch (RuntimeException unreadable) {
                // left out, like the SDK's unmarshaller does with a malformed header
            }
        }
    }

    private static Object parse(MarshallingType<?> type, String v) {
        if (type == MarshallingType.STRING) {
            return v;
        }
        if (type == MarshallingType.LONG) {
            return Long.parseLong(v);
        }
        if (type == MarshallingType.INTEGER) {
            return Integer.parseInt(v);
        }
        if (type == MarshallingType.BOOLEAN) {
            return Boolean.parseBoolean(v);
        }
        if (type == MarshallingType.INSTANT) {
            return java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        }
        return null; // no other types travel in S3 object headers
    }

    /** The server's refusal as the SDK client would have raised it: status, S3 error code, message, request id. */
    static S3Exception failure(int status, SdkHttpResponse response, String body) {
        String code = first(CODE, body);
        String message = first(MESSAGE, body);
        String requestId = first(REQUEST_ID, body);
        if (requestId == null) {
            requestId = response.firstMatchingHeader("x-amz-request-id").orElse(null);
        }
        String text = message != null ? message : code != null ? code : "HTTP " + status;
        return (S3Exception) S3Exception.builder().statusCode(status).requestId(requestId)
                .message(text + " (Service: S3, Status Code: " + status + ", Request ID: " + requestId + ")")
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("S3").errorCode(code).errorMessage(message)
                        .sdkHttpResponse(response).build())
                .build();
    }

    private static String first(Pattern p, String body) {
        Matcher m = p.matcher(body);
        return m.find() ? unescape(m.group(1)) : null;
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    /** Whether attempt {@code attempt} (from 0) failing with {@code e} leaves a quick retry to try. */
    private boolean worthRetry(RuntimeException e, int attempt) {
        return attempt < retries && S3Errors.translate(e, "", "", "").kind() == ErrorKind.TRANSIENT
                && !Thread.currentThread().isInterrupted();
    }

    /** Waits before a quick retry: 100 ms doubling, with jitter (throttling pauses come from the gate). */
    private static void backoff(int attempt) {
        long max = FIRST_BACKOFF.toMillis() << Math.min(attempt, 5);
        try {
            TimeUnit.MILLISECONDS.sleep(max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
