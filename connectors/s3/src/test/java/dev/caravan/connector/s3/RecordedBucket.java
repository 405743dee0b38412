package dev.caravan.connector.s3;

import dev.caravan.testkit.http.FaultyProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A new bucket on S3Proxy and a forwarding {@link FaultyProxy} in front of S3Proxy that records every request's head,
 * for tests that look at what goes on the wire; {@link #close()} removes both.
 *
 * @param name  the bucket
 * @param raw   a client straight to S3Proxy
 * @param proxy the recording proxy: stores opened with its {@code endpoint()} go through it
 */
record RecordedBucket(String name, S3Client raw, FaultyProxy proxy) implements AutoCloseable {

    /** Creates the bucket (named after {@code purpose}) and starts the proxy. */
    static RecordedBucket create(String purpose) {
        String name = S3It.newBucket(purpose);
        S3Client raw = S3It.rawClient();
        raw.createBucket(r -> r.bucket(name));
        URI upstream = URI.create(S3It.endpoint());
        try {
            return new RecordedBucket(name, raw, new FaultyProxy(upstream.getHost(), upstream.getPort(),
                    n -> FaultyProxy.Fault.FORWARD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        proxy.close();
        S3It.deleteBucket(raw, name);
        raw.close();
    }
}
