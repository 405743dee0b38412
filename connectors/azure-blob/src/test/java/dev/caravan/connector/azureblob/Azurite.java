package dev.caravan.connector.azureblob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.caravan.api.store.ObjectStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the Azurite of the integration tests runs (started by {@code scripts/servers/azurite.sh start}) and small
 * helpers: fresh containers, stores on them, an SDK client to look at the server from outside a store. The
 * coordinates come from the environment variables {@code CARAVAN_IT_AZURE_ENDPOINT} and
 * {@code CARAVAN_IT_AZURE_CONNECTION_STRING} (printed by {@code azurite.sh env}), else the system properties
 * {@code caravan.it.azure.endpoint} and {@code caravan.it.azure.connectionString}, else the script's defaults. The account key is Azurite's well-known,
 * public development key.
 */
final class Azurite {
    static final String ACCOUNT = "devstoreaccount1";
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    static final String ENDPOINT = setting("caravan.it.azure.endpoint", "CARAVAN_IT_AZURE_ENDPOINT",
            "http://127.0.0.1:18010/" + ACCOUNT);
    static final String CONNECTION_STRING = setting("caravan.it.azure.connectionString",
            "CARAVAN_IT_AZURE_CONNECTION_STRING", "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT
                    + ";AccountKey=" + KEY + ";BlobEndpoint=" + ENDPOINT + ";");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile BlobServiceClient admin;

    private Azurite() {
    }

    /** The environment variable when set (it wins, as in the other connectors' tests), else the property. */
    private static String setting(String property, String env, String fallback) {
        String value = System.getenv(env);
        if (value == null || value.isBlank()) {
            value = System.getProperty(property);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    /** An SDK client for looking at the server from outside the store under test. */
    static BlobServiceClient admin() {
        if (admin == null) {
            synchronized (Azurite.class) {
                if (admin == null) {
                    admin = new BlobServiceClientBuilder().connectionString(CONNECTION_STRING)
                            .httpClient(new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder()
                                    .responseTimeout(java.time.Duration.ofSeconds(60))
                                    .readTimeout(java.time.Duration.ofSeconds(60)).build())
                            .buildClient();
                }
            }
        }
        return admin;
    }

    /** A container name no other test uses (not created). */
    static String freshName(String hint) {
        return (hint + "-" + Long.toString(ProcessHandle.current().pid(), 36) + "-"
                + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-" + COUNTER.incrementAndGet())
                .toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Creates a fresh, empty container. If-not-exists: the name is unique, so an existing container can only be this
     * call's own, when a slow first attempt timed out on the client and its retry found the container made.
     */
    static BlobContainerClient newContainer(String hint) {
        BlobContainerClient c = admin().getBlobContainerClient(freshName(hint));
        c.createIfNotExists();
        return c;
    }

    /** A forwarding proxy in front of Azurite, to look at or break the wire (endpoint: its URL + "/" + ACCOUNT). */
    static dev.caravan.testkit.http.FaultyProxy forwardingProxy() throws java.io.IOException {
        java.net.URI upstream = java.net.URI.create(ENDPOINT);
        return new dev.caravan.testkit.http.FaultyProxy(upstream.getHost(), upstream.getPort(),
                n -> dev.caravan.testkit.http.FaultyProxy.Fault.FORWARD);
    }

    static void deleteQuietly(BlobContainerClient container) {
        if (container != null) {
            try {
                container.deleteIfExists();
            } catch (RuntimeException ignored) {
                // the server forgets everything on restart anyway (in-memory)
            }
        }
    }

    /** Options with the connection string plus {@code extra} (name, value pairs). */
    static Map<String, String> options(String... extra) {
        Map<String, String> options = new HashMap<>();
        options.put("connectionString", CONNECTION_STRING);
        for (int i = 0; i < extra.length; i += 2) {
            options.put(extra[i], extra[i + 1]);
        }
        return options;
    }

    /** Opens a store through the provider, as the engine does. */
    static AzureBlobObjectStore open(String location, Map<String, String> options) {
        AzureBlobStoreProvider provider = new AzureBlobStoreProvider();
        ObjectStore store = provider.open(location, provider.options().resolve(options));
        return (AzureBlobObjectStore) store;
    }
}
