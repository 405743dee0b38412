package dev.caravan.connector.http;

/**
 * The {@code https} scheme: the same read-only store as {@link HttpStoreProvider}, over TLS (certificates are
 * checked against the JVM's trust store). Stateless and thread-safe.
 */
public final class HttpsStoreProvider extends HttpStoreProvider {
    @Override
    public String scheme() {
        return "https";
    }
}
