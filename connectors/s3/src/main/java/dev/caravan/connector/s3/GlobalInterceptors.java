package dev.caravan.connector.s3;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The AWS SDK's global execution interceptors (the classes listed in the class-path resources
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}, which the SDK adds to every client), told
 * of each request {@link S3Direct} sends just before it goes out ({@code beforeTransmission}, with the SDK request
 * and the signed HTTP request), so whatever watches the SDK's requests that way (tracing, request counts in tests)
 * sees these too. Only observes: what an interceptor returns from a {@code modify} hook is not applied here, and
 * the other hooks are not called. Loaded once; a class that cannot be loaded is logged and left out.
 */
final class GlobalInterceptors {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalInterceptors.class);
    private static final String RESOURCE = "software/amazon/awssdk/global/handlers/execution.interceptors";
    private static final List<ExecutionInterceptor> ALL = load();

    private GlobalInterceptors() {
    }

    static void beforeTransmission(SdkRequest request, SdkHttpRequest httpRequest) {
        if (ALL.isEmpty()) {
            return;
        }
        Context.BeforeTransmission context = new Context.BeforeTransmission() {
            @Override
            public SdkRequest request() {
                return request;
            }

            @Override
            public SdkHttpRequest httpRequest() {
                return httpRequest;
            }

            @Override
            public Optional<RequestBody> requestBody() {
                return Optional.empty();
            }

            @Override
            public Optional<AsyncRequestBody> asyncRequestBody() {
                return Optional.empty();
            }
        };
        ExecutionAttributes attributes = new ExecutionAttributes();
        for (ExecutionInterceptor i : ALL) {
            i.beforeTransmission(context, attributes);
        }
    }

    private static List<ExecutionInterceptor> load() {
        List<ExecutionInterceptor> out = new ArrayList<>();
        ClassLoader loader = GlobalInterceptors.class.getClassLoader();
        try {
            for (URL file : Collections.list(loader.getResources(RESOURCE))) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(file.openStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        String name = line.trim();
                        if (name.isEmpty() || name.startsWith("#")) {
                            continue;
                        }
                        try {
                            out.add((ExecutionInterceptor) Class.forName(name, true, loader).getDeclaredConstructor()
                                    .newInstance());
                        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
                            LOG.warn("global SDK interceptor {} (from {}) not loaded: {}", name, file, e.toString());
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("global SDK interceptors not read: {}", e.toString());
        }
        return List.copyOf(out);
    }
}
