package dev.caravan.connector.s3;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Records every HTTP request the S3 clients of the test JVM send (registered for all clients through the SDK's
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} test resource), as {@code METHOD path}.
 * Only counts; never changes a request.
 */
public final class RequestLog implements ExecutionInterceptor {
    private static final Queue<String> REQUESTS = new ConcurrentLinkedQueue<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        SdkHttpRequest r = context.httpRequest();
        REQUESTS.add(r.method().name() + " " + r.encodedPath());
    }

    static void clear() {
        REQUESTS.clear();
    }

    /** Every request recorded since the last {@link #clear}. */
    static List<String> all() {
        return List.copyOf(REQUESTS);
    }

    /** The requests with {@code method} on an object of {@code bucket} (path style: {@code /bucket/key}). */
    static List<String> onObjects(String method, String bucket) {
        String prefix = method + " /" + bucket + "/";
        return REQUESTS.stream().filter(r -> r.startsWith(prefix)).toList();
    }
}
