package dev.caravan.connector.azureblob;

import com.azure.storage.blob.models.AccessTier;
import java.time.Duration;

/**
 * How an Azure Blob store behaves; see the options of {@link AzureBlobStoreProvider} for what each one means.
 * Immutable; validated by the provider.
 *
 * @param blockSize             bytes per staged block of a put
 * @param uploadConcurrency     blocks of one put in flight at once
 * @param singleUploadThreshold largest put sent as one request
 * @param createContainer       create a missing container on the first write
 * @param accessTier            tier of written blobs, or {@code null} for the account's default
 * @param readChunkSize         bytes per ranged GET when reading
 * @param listPageSize          blobs per List Blobs request
 * @param tags                  read and write blob index tags
 * @param encryptionScope       encryption scope of written blobs, or {@code null} for the container's default
 */
record AzureBlobSettings(long blockSize, int uploadConcurrency, long singleUploadThreshold, boolean createContainer,
        String accessTier, int readChunkSize, int listPageSize, boolean tags, String encryptionScope) {

    /** The SDK's tier, or {@code null}. */
    AccessTier tier() {
        return accessTier == null ? null : AccessTier.fromString(accessTier);
    }

    /** How long a server-side copy of a large blob may take before it counts as failed. */
    static Duration copyTimeout() {
        return Duration.ofHours(6);
    }
}
