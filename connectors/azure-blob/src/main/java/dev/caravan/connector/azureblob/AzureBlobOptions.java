package dev.caravan.connector.azureblob;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.error.MigrationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The declared options of the {@code azblob} connector and their cross-field rules. The descriptions are the
 * documentation ({@code caravan describe azblob}, {@code docs/connectors/azure-blob.md}); secrets are marked so they
 * are masked everywhere. Stateless.
 */
public final class AzureBlobOptions {
    static final long MIB = 1L << 20;

    /** A full connection string (Azure portal or Azurite's well-known one). */
    public static final OptionDef CONNECTION_STRING = OptionDef.of("connectionString", OptionType.PASSWORD,
            "Azure Storage connection string (AccountName, AccountKey or SharedAccessSignature, and BlobEndpoint or "
                    + "EndpointSuffix). One credential style only: not together with account, accountKey, sasToken "
                    + "or endpoint.");

    /** The storage account name. */
    public static final OptionDef ACCOUNT = OptionDef.of("account", OptionType.STRING,
            "Storage account name (3 to 24 lower-case letters and digits). Needed with accountKey; with sasToken "
                    + "when no endpoint is given. The endpoint defaults to https://ACCOUNT.blob.core.windows.net.")
            .withValidator(v -> v.matches("[a-z0-9]{3,24}") ? null
                    : "an account name has 3 to 24 lower-case letters and digits");

    /** The account key. */
    public static final OptionDef ACCOUNT_KEY = OptionDef.of("accountKey", OptionType.PASSWORD,
            "Storage account key (Base64), used with account: requests are signed with it (Shared Key).")
            .withValidator(v -> isBase64(v) ? null : "the account key is not Base64 (copy it from the portal)");

    /** A SAS token. */
    public static final OptionDef SAS_TOKEN = OptionDef.of("sasToken", OptionType.PASSWORD,
            "Shared access signature (sv=...&sig=..., with or without a leading '?'), used with account or endpoint. "
                    + "Sources need read and list (a move also delete); targets read, list, write and create, and delete only"
                    + " for a sync (sp=racwl copies and can never delete).");

    /** The blob service URL. */
    public static final OptionDef ENDPOINT = OptionDef.of("endpoint", OptionType.STRING,
            "Blob service URL, e.g. http://127.0.0.1:18010/devstoreaccount1 for Azurite or "
                    + "https://ACCOUNT.blob.core.windows.net; without a SAS (use sasToken). Default: from account.")
            .withValidator(AzureBlobOptions::endpointProblem);

    /** Block size of staged uploads. */
    public static final OptionDef BLOCK_SIZE = OptionDef.of("blockSize", OptionType.SIZE,
            "Size of the blocks a put stages (Put Block, at most 50,000 per blob). A put holds up to "
                    + "blockSize x (uploadConcurrency + 1) bytes in memory. 1k to 1G.")
            .withDefault("8M").withValidator(v -> between(v, 1024, 1L << 30));

    /** Blocks of one put in flight. */
    public static final OptionDef UPLOAD_CONCURRENCY = OptionDef.of("uploadConcurrency", OptionType.INT,
            "Blocks of one put uploaded at the same time (1 to 64). Azurite is single-threaded: more does not help "
                    + "there.")
            .withDefault("4").withValidator(v -> Integer.parseInt(v.trim()) >= 1 && Integer.parseInt(v.trim()) <= 64
                    ? null : "must be between 1 and 64");

    /** Largest single-request put. */
    public static final OptionDef SINGLE_UPLOAD_THRESHOLD = OptionDef.of("singleUploadThreshold", OptionType.SIZE,
            "Puts of at most this many bytes go as one Put Blob request, with a Content-MD5 the service checks and "
                    + "keeps; larger ones, and streams of unknown size that turn out larger, are staged in blocks. "
                    + "0 to 256M.")
            .withDefault("8M").withValidator(v -> between(v, 0, 256 * MIB));

    /** Whether to create a missing container. */
    public static final OptionDef CREATE_CONTAINER = OptionDef.of("createContainer", OptionType.BOOLEAN,
            "Create the container on the first write when it does not exist. Off by default, so a mistyped name "
                    + "fails instead of creating a new container; a plan never creates it.")
            .withDefault("false");

    /** Access tier of written blobs. */
    public static final OptionDef ACCESS_TIER = OptionDef.of("accessTier", OptionType.ENUM,
            "Access tier of written and copied blobs. Default: the account's default tier. Archive blobs cannot be "
                    + "read until rehydrated.")
            .withAllowed("Hot", "Cool", "Cold", "Archive");

    /** Encryption scope of written blobs. */
    public static final OptionDef ENCRYPTION_SCOPE = OptionDef.of("encryptionScope", OptionType.STRING,
            "Encryption scope of written and copied blobs (x-ms-encryption-scope): the service encrypts them with "
                    + "that scope's key, Microsoft-managed or in your Key Vault. The scope must exist in the storage "
                    + "account and be enabled. Default: the container's default scope. Reads need nothing.")
            .withValidator(v -> v.trim().matches("[A-Za-z0-9][A-Za-z0-9-]{1,61}[A-Za-z0-9]") ? null
                    : "an encryption scope name has 3 to 63 letters, digits and hyphens");

    /** Listing page size. */
    public static final OptionDef LIST_PAGE_SIZE = OptionDef.of("listPageSize", OptionType.INT,
            "Blobs per List Blobs request (1 to 5000). A listing holds one page in memory per open listing.")
            .withDefault("5000").withValidator(v -> Integer.parseInt(v.trim()) >= 1 && Integer.parseInt(v.trim()) <= 5000
                    ? null : "must be between 1 and 5000");

    /** Whether to carry blob index tags. */
    public static final OptionDef TAGS = OptionDef.of("tags", OptionType.BOOLEAN,
            "Carry blob index tags: written with the blob (x-ms-tags), read with one Get Blob Tags per copied "
                    + "blob that has tags (its properties count them; untagged blobs cost nothing more), and listed "
                    + "with each blob (include=tags) where the credentials may read them (an account key, a SAS with t), "
                    + "so a rerun compares them at no extra request. Needs the "
                    + "permission to read and write tags (Storage Blob Data Owner, or SAS permission t). Off: tags "
                    + "are reported as not kept, blob by blob. Azure holds at most 10 tags per blob.")
            .withDefault("true");

    /** TCP connect timeout. */
    public static final OptionDef CONNECT_TIMEOUT = OptionDef.of("connectTimeout", OptionType.DURATION,
            "How long to wait for a TCP connection to the endpoint.")
            .withDefault("10s");

    /** Per-request timeout. */
    public static final OptionDef REQUEST_TIMEOUT = OptionDef.of("requestTimeout", OptionType.DURATION,
            "Longest wait for the answer to one request (sending its body included, e.g. one block) and between two "
                    + "reads of a response. A stalled server then fails with a TRANSIENT error that the engine retries.")
            .withDefault("2m");

    static final Options OPTIONS = Options.of("connector " + AzureBlobStoreProvider.SCHEME, CONNECTION_STRING,
            ACCOUNT, ACCOUNT_KEY, SAS_TOKEN, ENDPOINT, BLOCK_SIZE, UPLOAD_CONCURRENCY, SINGLE_UPLOAD_THRESHOLD,
            CREATE_CONTAINER, ACCESS_TIER, ENCRYPTION_SCOPE, LIST_PAGE_SIZE, TAGS, CONNECT_TIMEOUT, REQUEST_TIMEOUT);

    private AzureBlobOptions() {
    }

    /** A credential style. */
    enum Style {
        CONNECTION_STRING("connectionString"), ACCOUNT_KEY("account + accountKey"), SAS("sasToken");

        private final String label;

        Style(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /**
     * The validated credentials. {@link #toString()} masks the secret.
     *
     * @param style    which style
     * @param account  account name, or {@code null} (connection string)
     * @param endpoint blob service URL, or {@code null} (connection string)
     * @param secret   connection string, key or SAS token
     */
    record Credentials(Style style, String account, String endpoint, String secret) {
        @Override
        public String toString() {
            return style.label() + " (account " + account + ", endpoint " + endpoint + ", secret ****)";
        }
    }

    /** Applies the cross-field rules: exactly one credential style, and what each style needs. */
    static Credentials credentials(Config config) {
        String connection = config.string(CONNECTION_STRING.name());
        String account = config.string(ACCOUNT.name());
        String key = config.string(ACCOUNT_KEY.name());
        String sas = config.string(SAS_TOKEN.name());
        String endpoint = config.string(ENDPOINT.name());
        List<String> styles = new ArrayList<>();
        if (connection != null) {
            styles.add(CONNECTION_STRING.name());
        }
        if (key != null) {
            styles.add(ACCOUNT_KEY.name());
        }
        if (sas != null) {
            styles.add(SAS_TOKEN.name());
        }
        if (styles.isEmpty()) {
            throw MigrationException.userConfig("the azblob connector needs credentials: set connectionString, or "
                    + "account and accountKey, or sasToken (with account or endpoint)");
        }
        if (styles.size() > 1) {
            throw MigrationException.userConfig("the azblob connector takes one credential style, but "
                    + String.join(" and ", styles) + " are set: keep one of them");
        }
        if (connection != null) {
            if (account != null || endpoint != null) {
                throw MigrationException.userConfig("connectionString already names the account and endpoint: "
                        + "remove " + (account != null ? "account" : "endpoint") + ", or use account and "
                        + "accountKey instead of the connection string");
            }
            if (connectionStringPart(connection, "AccountKey") == null
                    && connectionStringPart(connection, "SharedAccessSignature") == null) {
                throw MigrationException.userConfig("connectionString has neither AccountKey nor "
                        + "SharedAccessSignature: copy the whole connection string of the storage account");
            }
            String blobEndpoint = connectionStringPart(connection, "BlobEndpoint");
            String endpointProblem = blobEndpoint == null ? null : endpointProblem(blobEndpoint);
            if (endpointProblem != null) { // never printed whole: the string holds the key
                throw MigrationException.userConfig("the BlobEndpoint in connectionString: " + endpointProblem);
            }
            String accountKey = connectionStringPart(connection, "AccountKey");
            if (accountKey != null && !isBase64(accountKey)) {
                throw MigrationException.userConfig("the AccountKey in connectionString is not Base64: copy the "
                        + "whole connection string of the storage account");
            }
            return new Credentials(Style.CONNECTION_STRING, connectionStringPart(connection, "AccountName"), null,
                    connection);
        }
        if (key != null) {
            if (account == null) {
                throw MigrationException.userConfig("accountKey needs account: set account to the storage account "
                        + "name the key belongs to");
            }
            return new Credentials(Style.ACCOUNT_KEY, account, endpointOf(account, endpoint), key);
        }
        if (account == null && endpoint == null) {
            throw MigrationException.userConfig("sasToken needs account or endpoint: set account (for "
                    + "https://ACCOUNT.blob.core.windows.net) or endpoint");
        }
        String token = sas.startsWith("?") ? sas.substring(1) : sas;
        return new Credentials(Style.SAS, account, endpointOf(account, endpoint), token);
    }

    /** The store settings from resolved options. */
    static AzureBlobSettings settings(Config config) {
        return new AzureBlobSettings(config.size(BLOCK_SIZE.name()).orElse(8 * MIB),
                config.intValue(UPLOAD_CONCURRENCY.name(), 4),
                config.size(SINGLE_UPLOAD_THRESHOLD.name()).orElse(8 * MIB),
                config.bool(CREATE_CONTAINER.name()), tier(config.string(ACCESS_TIER.name())),
                AzureBlobInputStream.CHUNK, config.intValue(LIST_PAGE_SIZE.name(), 5000), config.bool(TAGS.name()),
                encryptionScope(config));
    }

    /** The encryption scope of written blobs, or {@code null} for the container's default. */
    private static String encryptionScope(Config config) {
        String scope = config.string(ENCRYPTION_SCOPE.name());
        return scope == null ? null : scope.trim();
    }

    static Duration connectTimeout(Config config) {
        return config.duration(CONNECT_TIMEOUT.name()).orElse(Duration.ofSeconds(10));
    }

    static Duration requestTimeout(Config config) {
        return config.duration(REQUEST_TIMEOUT.name()).orElse(Duration.ofMinutes(2));
    }

    /** One {@code Name=value} part of a connection string (name case-insensitive), or {@code null}. */
    static String connectionStringPart(String connectionString, String name) {
        for (String part : connectionString.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String value = part.substring(eq + 1).trim();
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static String endpointOf(String account, String endpoint) {
        if (endpoint != null) {
            return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        }
        return "https://" + account + ".blob.core.windows.net";
    }

    private static String tier(String value) {
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    private static String endpointProblem(String value) {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return "'" + value + "' is not an http(s) URL such as http://127.0.0.1:10000/devstoreaccount1";
            }
            if (uri.getHost() == null) {
                return "'" + value + "' has no host";
            }
            if (uri.getRawQuery() != null) {
                return "the endpoint must not carry a query (a SAS goes into sasToken)";
            }
            return null;
        } catch (URISyntaxException e) {
            return "'" + value + "' is not an http(s) URL such as http://127.0.0.1:10000/devstoreaccount1";
        }
    }

    private static String between(String value, long min, long max) {
        long bytes = Config.parseSize(value);
        return bytes >= min && bytes <= max ? null : "must be between " + min + " and " + max + " bytes";
    }

    private static boolean isBase64(String value) {
        try {
            return Base64.getDecoder().decode(value.trim()).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
