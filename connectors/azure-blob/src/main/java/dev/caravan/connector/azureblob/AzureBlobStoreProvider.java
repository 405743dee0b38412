package dev.caravan.connector.azureblob;

import com.azure.core.http.HttpClient;
import com.azure.core.http.ProxyOptions;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.ClientOptions;
import com.azure.core.util.Configuration;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.caravan.api.config.Config;
import dev.caravan.api.config.Options;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code azblob} scheme: block blobs in a container of an Azure storage account (or Azurite), optionally under a
 * prefix: {@code azblob:container} or {@code azblob:container/some/prefix}. Credentials are exactly one of a
 * connection string, an account name with its key, or a SAS token; see {@link AzureBlobOptions} for every option.
 * Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 */
public final class AzureBlobStoreProvider implements StoreProvider {

    /** The URI scheme. */
    public static final String SCHEME = "azblob";

    /** Azure's rule for container names, plus its two special containers. */
    /** A SAS's signature in the query of a pasted container or blob URL. */
    private static final Pattern SAS_QUERY = Pattern.compile("\\?(.*&)?sig=");
    private static final String CONTAINER_NAME = "(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]|\\$root|\\$web";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String description() {
        return "Block blobs in a container of an Azure storage account or Azurite";
    }

    @Override
    public Options options() {
        return AzureBlobOptions.OPTIONS;
    }

    /**
     * Opens the container (and prefix) {@code location}. Sends no request: a wrong credential, a missing container or
     * an unreachable endpoint shows at the first listing or write, with a USER_CONFIG error naming it.
     *
     * @param config options resolved by {@link #options()}
     */
    @Override
    public ObjectStore open(String location, Config config) {
        refuseCredentials(location);
        Config resolved = config == null ? AzureBlobOptions.OPTIONS.resolve(Map.of()) : config;
        AzureBlobOptions.Credentials credentials = AzureBlobOptions.credentials(resolved);
        AzureBlobSettings settings = AzureBlobOptions.settings(resolved);
        AzureBlobAccount account = connect(credentials, settings.encryptionScope(),
                AzureBlobOptions.connectTimeout(resolved), AzureBlobOptions.requestTimeout(resolved));
        String[] containerAndRoot = parseLocation(withoutAccount(location, account.name()));
        return new AzureBlobObjectStore(account, containerAndRoot[0], containerAndRoot[1], settings);
    }

    /**
     * Fails, without repeating them, for credentials written into a location: a container URL's SAS pasted after the
     * prefix ({@code photos/2024?sv=...&sig=...}, otherwise a valid blob name prefix that lists nothing) or user info
     * before an {@code @}. A location is printed, journaled and put into reports; credentials belong in the options,
     * which are masked everywhere.
     */
    static void refuseCredentials(String location) {
        if (location == null) {
            return;
        }
        if (SAS_QUERY.matcher(location).find()) {
            throw MigrationException.userConfig("the azblob location carries a shared access signature after '?'"
                    + " (sig=...): give it as the option sasToken (with account or endpoint) or in connectionString,"
                    + " which are masked, and write the location as azblob:CONTAINER/PREFIX");
        }
        String path = location.replaceFirst("^/+", "");
        int slash = path.indexOf('/');
        String first = slash < 0 ? path : path.substring(0, slash);
        if (first.indexOf('@') >= 0) {
            throw MigrationException.userConfig("the azblob location carries credentials before '@': give them as"
                    + " the options connectionString, accountKey or sasToken, which are masked, and write the location"
                    + " as azblob:CONTAINER/PREFIX");
        }
    }

    /**
     * {@code //ACCOUNT/CONTAINER/PREFIX}, the form stores print ({@code azblob://account/container}), as
     * {@code CONTAINER/PREFIX}; USER_CONFIG when ACCOUNT is not the connection's (read as a container, such a location
     * would write into a container named after the account). Any other location as it is.
     */
    static String withoutAccount(String location, String accountName) {
        if (location == null || !location.startsWith("//")) {
            return location;
        }
        String rest = location.substring(2);
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        if (!first.equalsIgnoreCase(accountName)) {
            throw MigrationException.userConfig("azblob://" + rest + " names the account first (as Caravan prints"
                    + " locations), and '" + first + "' is not the account of the connection ('" + accountName
                    + "'): write azblob:" + rest + " for the container '" + first + "', or azblob://" + accountName
                    + "/CONTAINER");
        }
        return slash < 0 ? "" : rest.substring(slash + 1);
    }

    /**
     * Builds a client for a made-up account (an account key of zeros at a loopback endpoint) and a blob client
     * under it: the Azure SDK's class loading and static set-up then happen here rather than in the first
     * {@link #open}. Sends nothing.
     */
    @Override
    public void warmUp() {
        warmUp("http://127.0.0.1:9/warmup");
    }

    /** {@link #warmUp()} with the made-up account at {@code endpoint} (tests check that nothing reaches it). */
    static void warmUp(String endpoint) {
        try {
            String key = java.util.Base64.getEncoder().encodeToString(new byte[64]);
            AzureBlobAccount account = connect(new AzureBlobOptions.Credentials(AzureBlobOptions.Style.ACCOUNT_KEY,
                    "warmup", endpoint, key), null, Duration.ofSeconds(1), Duration.ofSeconds(1));
            account.service().getBlobContainerClient("warm-up").getBlobClient("warm-up").getBlockBlobClient();
        } catch (RuntimeException | LinkageError e) {
            // the first open sets the SDK up cold and reports what is wrong
        }
    }

    /** Splits {@code container/some/prefix} into the container and the root prefix ({@code some/prefix/}). */
    static String[] parseLocation(String location) {
        if (location == null || location.isBlank()) {
            throw MigrationException.userConfig("the azblob connector needs a container, e.g. azblob:my-container or "
                    + "azblob:my-container/some/prefix");
        }
        String trimmed = location.strip();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        int slash = trimmed.indexOf('/');
        String container = slash < 0 ? trimmed : trimmed.substring(0, slash);
        String prefix = slash < 0 ? "" : trimmed.substring(slash + 1);
        if (!container.matches(CONTAINER_NAME)) {
            throw MigrationException.userConfig("'" + container + "' is not a valid Azure container name (3 to 63 "
                    + "lower-case letters, digits and single hyphens, starting and ending with a letter or digit)");
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!prefix.isEmpty()) {
            String problem = ObjectKeys.problem(prefix);
            problem = problem != null ? problem : AzureBlobNames.changed(prefix, false);
            problem = problem != null ? problem : AzureBlobNames.unsupported(prefix, false);
            if (problem != null) {
                throw MigrationException.userConfig("the prefix '" + prefix + "' of azblob:" + location
                        + " is not usable: " + problem);
            }
            prefix = prefix + "/";
        }
        return new String[] {container, prefix};
    }

    /**
     * Builds the SDK client for the credentials (no request is sent). With an {@code encryptionScope}, every request
     * that writes a blob (Put Blob, Put Block, Put Block List, Copy Blob from URL) names it.
     */
    static AzureBlobAccount connect(AzureBlobOptions.Credentials credentials, String encryptionScope,
            Duration connectTimeout, Duration requestTimeout) {
        // requests run on the calling thread (BlockingHttpClient); through a proxy configured for the Azure SDK
        // (HTTPS_PROXY and the like, possibly with credentials) the SDK's JDK client, which handles proxies itself
        HttpClient http = ProxyOptions.fromConfiguration(Configuration.getGlobalConfiguration()) == null
                ? new BlockingHttpClient(connectTimeout, requestTimeout)
                : new JdkHttpClientBuilder().connectionTimeout(connectTimeout).responseTimeout(requestTimeout)
                        .readTimeout(requestTimeout).writeTimeout(requestTimeout).build();
        // The SDK retries once at most: the engine retries with backoff and Retry-After across all tasks.
        RequestRetryOptions retry = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 2, (Duration) null,
                Duration.ofMillis(200), Duration.ofSeconds(2), null);
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder().httpClient(http).retryOptions(retry)
                .clientOptions(new ClientOptions().setApplicationId("caravan")).encryptionScope(encryptionScope);
        try {
            switch (credentials.style()) {
                case CONNECTION_STRING -> builder.connectionString(credentials.secret());
                case ACCOUNT_KEY -> builder.endpoint(credentials.endpoint())
                        .credential(new StorageSharedKeyCredential(credentials.account(), credentials.secret()));
                case SAS -> builder.endpoint(credentials.endpoint()).sasToken(credentials.secret());
                default -> throw new IllegalStateException(credentials.style().name());
            }
            BlobServiceClient service = builder.buildClient();
            boolean sharedKey = credentials.style() == AzureBlobOptions.Style.ACCOUNT_KEY
                    || credentials.style() == AzureBlobOptions.Style.CONNECTION_STRING
                    && AzureBlobOptions.connectionStringPart(credentials.secret(), "AccountKey") != null;
            String sas = credentials.style() == AzureBlobOptions.Style.SAS ? credentials.secret()
                    : credentials.style() == AzureBlobOptions.Style.CONNECTION_STRING
                    ? AzureBlobOptions.connectionStringPart(credentials.secret(), "SharedAccessSignature") : null;
            String endpoint = stripQuery(service.getAccountUrl());
            return new AzureBlobAccount(service, service.getAccountName(), endpoint, sharedKey, sas, requestTimeout,
                    credentials.style() == AzureBlobOptions.Style.CONNECTION_STRING);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the SDK's messages about connection strings and keys never contain the secret values
            throw MigrationException.userConfig("the Azure credentials are not usable (" + credentials.style().label()
                    + "): " + e.getMessage());
        }
    }

    private static String stripQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
