package dev.caravan.connector.azureblob;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * One storage account as the connector reaches it: the SDK's service client (thread-safe, shared by the stores of a
 * provider call), the account name and blob endpoint for messages and identity, and the credential style, which
 * decides how a server-side copy authorises its source. Never exposes a secret in {@link #toString()}.
 *
 * @param service  the SDK client
 * @param name     account name
 * @param endpoint blob service URL (no SAS), e.g. {@code http://127.0.0.1:18010/devstoreaccount1}
 * @param sharedKey whether requests are signed with the account key (then SAS for copy sources are generated)
 * @param sasToken the SAS token when that is the credential, else {@code null}
 * @param requestTimeout how long a request waits for its answer (the {@code requestTimeout} option)
 * @param connectionString whether the account and its endpoint were given as the {@code connectionString} option
 */
record AzureBlobAccount(BlobServiceClient service, String name, String endpoint, boolean sharedKey, String sasToken,
        Duration requestTimeout, boolean connectionString) {

    /** How long a generated read SAS for a copy source stays valid. */
    private static final Duration COPY_SAS_LIFETIME = Duration.ofHours(7);

    /** Whether {@code other} is the same account at the same endpoint (server-side copy is possible). */
    boolean sameAs(AzureBlobAccount other) {
        return normalize(endpoint).equals(normalize(other.endpoint)) && name.equals(other.name);
    }

    /**
     * A URL through which the service itself may read {@code blob} (a copy source): with a generated read-only SAS
     * when requests are signed with the account key, with the configured SAS otherwise.
     */
    String readUrl(BlobClient blob) {
        if (sharedKey) {
            BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(
                    OffsetDateTime.now().plus(COPY_SAS_LIFETIME), new BlobSasPermission().setReadPermission(true))
                    .setStartTime(OffsetDateTime.now().minusMinutes(5));
            return blob.getBlobUrl() + "?" + blob.generateSas(values);
        }
        if (sasToken != null) {
            return blob.getBlobUrl() + "?" + sasToken;
        }
        return blob.getBlobUrl();
    }

    private static String normalize(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    @Override
    public String toString() {
        return "account " + name + " at " + endpoint;
    }
}
