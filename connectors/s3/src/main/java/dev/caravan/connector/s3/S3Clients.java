package dev.caravan.connector.s3;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.error.WaitNotice;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds the SDK client of a store with the settings that work on AWS and on S3-compatible servers alike:
 * checksums only where an operation requires them ({@code WHEN_REQUIRED} both ways: the SDK's default trailing
 * CRC32 checksums in aws-chunked bodies are refused by S3Proxy and silently stored as data by some servers),
 * no aws-chunked bodies ({@code chunkedEncodingEnabled(false)}), the Apache HttpClient 5 transport, few SDK
 * retries, and the endpoint's {@link EndpointGate} in front of every request.
 */
final class S3Clients {
    private static final Logger LOG = LoggerFactory.getLogger(S3Clients.class);


    /**
     * A client with what it needs closed with it.
     *
     * @param provider the credentials provider the client signs with (shared by {@link S3Direct})
     * @param credentials the same provider when it must be closed, else {@code null}
     */
    record Handle(S3Client client, EndpointGate gate, AwsCredentialsProvider provider, SdkAutoCloseable credentials) {
        void close() {
            client.close();
            if (credentials != null) {
                credentials.close();
            }
        }
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private S3Clients() {
    }

    /** A store's own pool of daemon threads (parts, copies), named {@code caravan-s3-POOL-N}. */
    static ExecutorService newPool() {
        int poolId = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "caravan-s3-" + poolId + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static Handle create(S3Settings s) {
        EndpointGate gate = EndpointGate.of(s.endpointName(), s.requestsPerSecond());
        AwsCredentialsProvider credentials = credentials(s);
        S3ClientBuilder builder = builder(s, credentials)
                .overrideConfiguration(o -> {
                    o.retryStrategy(r -> r.maxAttempts(s.sdkRetries() + 1)).addExecutionInterceptor(gate.interceptor());
                    if (s.requesterPays()) {
                        o.putHeader("x-amz-request-payer", "requester");
                    }
                });
        SdkAutoCloseable closeable = credentials instanceof SdkAutoCloseable c ? c : null;
        try {
            return new Handle(builder.build(), gate, credentials, closeable);
        } catch (RuntimeException e) {
            if (closeable != null) {
                closeable.close();
            }
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot set up the S3 client for "
                    + s.endpointName() + ": " + e.getMessage(), e);
        }
    }

    /** The client settings of {@code s}, without the retry strategy and interceptors. */
    private static S3ClientBuilder builder(S3Settings s, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(s.region()))
                .forcePathStyle(s.pathStyle())
                .credentialsProvider(credentials)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(s.maxConnections())
                        .connectionTimeout(s.connectTimeout())
                        .socketTimeout(s.readTimeout())
                        .expectContinueEnabled(false)
                        .tcpKeepAlive(true));
        if (s.endpoint() != null) {
            builder.endpointOverride(s.endpoint());
        }
        return builder;
    }

    /**
     * Builds and closes a client set up as {@link #create} sets one up (the option defaults, a fixed endpoint and
     * key, no endpoint gate): the SDK's class loading and static set-up, about 0.25 s of CPU in a fresh JVM, then
     * happen here rather than in the first real {@code create}. Sends nothing.
     */
    static void warmUp() {
        try {
            S3Settings s = S3Settings.from(new S3StoreProvider().options().resolve(Map.of("endpoint",
                    "http://127.0.0.1:9", "accessKeyId", "warm-up", "secretAccessKey", "warm-up")));
            builder(s, credentials(s)).overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))).build()
                    .close();
        } catch (RuntimeException e) {
            LOG.debug("S3 client warm-up failed (the first store builds its client cold): {}", e.toString());
        }
    }

    private static AwsCredentialsProvider credentials(S3Settings s) {
        if (s.accessKeyId() != null) {
            return StaticCredentialsProvider.create(s.sessionToken() == null
                    ? AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey())
                    : AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken()));
        }
        if (s.profile() != null) {
            return ProfileCredentialsProvider.builder().profileName(s.profile()).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /**
     * Checks that the bucket exists and the credentials are accepted (HeadBucket). A missing bucket is a configuration
     * error (USER_CONFIG, with a message that says what to change) unless {@code createBucket} is on: then this
     * returns false and the store creates the bucket on its first write ({@link #createBucket}), so that a plan or a
     * dry run writes nothing.
     */
    static boolean checkBucket(S3ObjectStore store) {
        S3Settings s = store.settings();
        String bucket = store.bucket();
        // a server that takes the connection and never answers is waited for once, not once per SDK retry
        Duration limit = s.connectTimeout().plus(s.readTimeout());
        try (WaitNotice notice = WaitNotice.after(WaitNotice.AFTER, () -> LOG.warn("waiting for the S3 endpoint {} to"
                + " answer (opening bucket {}): no answer for {} s; giving up after {} s (connectTimeout +"
                + " readTimeout)", s.endpointName(), bucket, WaitNotice.AFTER.toSeconds(), limit.toSeconds()))) {
            store.client().headBucket(r -> r.bucket(bucket).overrideConfiguration(o -> o.apiCallTimeout(limit)));
            return true;
        } catch (SdkException | UncheckedIOException e) {
            if (S3Errors.timedOut(e) && !store.answeredSinceOpened()) {
                throw new MigrationException(ErrorKind.USER_CONFIG, "the S3 endpoint " + s.endpointName()
                        + " did not answer within " + limit.toSeconds() + " s while opening bucket " + bucket
                        + " (is the server hung or overloaded, or is this not its address and port? readTimeout"
                        + " and connectTimeout set the wait)", e);
            }
            boolean missing = e instanceof SdkServiceException se && se.statusCode() == 404;
            if (!missing) {
                throw store.fail(e, "opening bucket " + bucket);
            }
            if (!s.createBucket()) {
                throw new MigrationException(ErrorKind.USER_CONFIG, "bucket " + bucket + " does not exist at "
                        + s.endpointName() + " (check the bucket name and endpoint; for a target, createBucket=true"
                        + " creates it)", e);
            }
            return false;
        }
    }

    /** Creates the store's bucket (in the settings' region); one created meanwhile by this account is fine. */
    static void createBucket(S3ObjectStore store) {
        create(store, store.bucket(), store.settings());
    }

    /**
     * Whether the server of {@code store} has object tags: what its client pool learnt already, else asked
     * ({@link #hasTagging}) on a thread of its own while the caller goes on, and remembered by the pool.
     */
    static CompletableFuture<Boolean> taggingProbe(S3ObjectStore store, S3ClientPool.Lease lease) {
        Boolean known = lease.knownTagging();
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return CompletableFuture.supplyAsync(() -> {
            boolean has = hasTagging(store);
            lease.rememberTagging(has);
            return has;
        }, task -> {
            Thread t = new Thread(task, "caravan-s3-tagging-probe");
            t.setDaemon(true);
            t.start();
        });
    }

    /**
     * Whether the server implements object tagging: one GetObjectTagging of a key that does not exist answers
     * NoSuchKey (404) on S3, NotImplemented (501) on servers without tagging such as S3Proxy. Any other answer
     * (e.g. AccessDenied without s3:GetObjectTagging) counts as tagging present, so real tag failures surface on
     * the objects themselves.
     */
    static boolean hasTagging(S3ObjectStore store) {
        String probe = store.location().fullKey(".caravan-tagging-probe");
        try {
            store.client().getObjectTagging(r -> r.bucket(store.bucket()).key(probe));
            return true;
        } catch (SdkException | UncheckedIOException e) {
            MigrationException m = store.fail(e, "probing object tagging");
            if (m.kind() == ErrorKind.UNSUPPORTED) {
                LOG.info("{} has no object tagging: tags are reported as not kept", store.settings().endpointName());
                return false;
            }
            return true;
        }
    }

    private static void create(S3ObjectStore store, String bucket, S3Settings s) {
        CreateBucketRequest.Builder create = CreateBucketRequest.builder().bucket(bucket);
        if (!"us-east-1".equals(s.region())) {
            create.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(s.region())));
        }
        try {
            store.client().createBucket(create.build());
        } catch (SdkException | UncheckedIOException e) {
            MigrationException m = store.fail(e, "creating bucket " + bucket);
            String code = e instanceof AwsServiceException a && a.awsErrorDetails() != null
                    ? a.awsErrorDetails().errorCode() : null;
            if ("BucketAlreadyOwnedByYou".equals(code)) {
                return; // created meanwhile by another store of ours
            }
            if ("BucketAlreadyExists".equals(code)) {
                throw new MigrationException(ErrorKind.USER_CONFIG, "bucket name " + bucket + " is taken by another "
                        + "account at " + s.endpointName() + "; choose another name", e);
            }
            throw m;
        }
    }
}
