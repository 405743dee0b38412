package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.caravan.api.error.ErrorKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A CopyObject sent by {@link S3Direct} to a fake S3 in this JVM: S3 may answer 200 and report the failure in the
 * body (it starts answering before the copy ends); such an answer is a failure, retried when S3's code says so.
 */
class S3DirectCopyTest {
    private static final String RESULT = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CopyObjectResult>"
            + "<LastModified>2026-11-26T10:00:00.000Z</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328"
            + "&quot;</ETag></CopyObjectResult>";

    private HttpServer server;
    private final List<String> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private S3Clients.Handle handle;
    private S3Direct direct;

    @BeforeEach
    void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " "
                    + ex.getRequestHeaders().getFirst("x-amz-copy-source"));
            ex.getRequestBody().readAllBytes();
            byte[] body = answers.get(Math.min(next.getAndIncrement(), answers.size() - 1))
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        S3Settings settings = S3Settings.from(new S3StoreProvider().options().resolve(Map.of("endpoint",
                "http://127.0.0.1:" + server.getAddress().getPort(), "pathStyle", "true", "accessKeyId", "k",
                "secretAccessKey", "s", "sdkRetries", "2")));
        handle = S3Clients.create(settings);
        direct = S3Direct.forStore(handle.client(), "dst", settings, handle.provider(), handle.gate()).orElseThrow();
    }

    @AfterEach
    void tearDown() {
        handle.close();
        server.stop(0);
    }

    private String copy() {
        CopyObjectRequest copy = CopyObjectRequest.builder().sourceBucket("src").sourceKey("a b.bin")
                .destinationBucket("dst").destinationKey("c.bin").metadataDirective(MetadataDirective.COPY)
                .copySourceIfMatch("\"0123\"").build();
        return direct.copyObject(copy, S3Direct.copyHeaders(copy).orElseThrow());
    }

    @Test
    void returnsTheCopysEtagAsTheSdkGivesIt() {
        answers.add(RESULT);

        assertThat(copy()).isEqualTo("\"9b2cf535f27731c974343645a3985328\"");
        assertThat(seen).containsExactly("PUT /dst/c.bin src/a%20b.bin");
    }

    @Test
    void aTransientErrorInA200AnswerIsRetried() {
        answers.add("<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>");
        answers.add(RESULT);

        assertThat(copy()).isEqualTo("\"9b2cf535f27731c974343645a3985328\"");
        assertThat(seen).hasSize(2);
    }

    @Test
    void anyOtherErrorInA200AnswerFailsAtOnceWithItsCode() {
        answers.add("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");

        S3Exception e = catchThrowableOfType(this::copy, S3Exception.class);

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(S3Errors.translate(e, "dst", "fake", "copying").kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(seen).hasSize(1);
    }
}
