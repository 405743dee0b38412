package dev.caravan.connector.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The body of a GET. Closing it before its end aborts the HTTP request instead of draining the rest of the object
 * (which could be gigabytes) to keep the connection.
 */
final class S3InputStream extends FilterInputStream {
    private final ResponseInputStream<GetObjectResponse> response;
    private boolean ended;
    private boolean closed;

    S3InputStream(ResponseInputStream<GetObjectResponse> response) {
        super(response);
        this.response = response;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            ended = true;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            ended = true;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!ended) {
            response.abort();
        }
        super.close();
    }
}
