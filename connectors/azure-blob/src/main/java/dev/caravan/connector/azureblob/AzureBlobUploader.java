package dev.caravan.connector.azureblob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Writes one blob from a stream, never holding more than {@code blockSize x (uploadConcurrency + 1)} bytes:
 *
 * <ul>
 * <li>up to {@code singleUploadThreshold} bytes: one Put Blob with a transactional Content-MD5 (the service checks
 * the bytes) that is also stored as the blob's Content-MD5;</li>
 * <li>more, or of unknown size: the stream is cut into blocks of {@code blockSize}, staged with up to
 * {@code uploadConcurrency} in flight, each with its transactional Content-MD5, then committed in order with the
 * MD5 of the whole (computed while streaming) as the blob's Content-MD5.</li>
 * </ul>
 *
 * <p>Both forms store our SHA-256 ({@code caravansha256}) and modification time ({@code caravanmtime}) in the
 * blob's metadata in the same request, and both are atomic: readers see the old blob until the Put or the commit.
 * Thread-safe.
 */
final class AzureBlobUploader {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    /** Azure's limit of committed blocks per blob. */
    static final int MAX_BLOCKS = 50_000;

    private final AzureBlobObjectStore store;
    private final AzureBlobSettings settings;
    private final ExecutorService stagers;

    AzureBlobUploader(AzureBlobObjectStore store, AzureBlobSettings settings, ExecutorService stagers) {
        this.store = store;
        this.settings = settings;
        this.stagers = stagers;
    }

    ObjectInfo put(String key, InputStream data, PutRequest request) {
        BlockBlobClient blob = store.blob(key).getBlockBlobClient();
        long declared = request.size();
        int threshold = (int) settings.singleUploadThreshold();
        int first = declared >= 0 && declared <= threshold ? (int) declared : threshold;
        // known sizes get an exact buffer; unknown ones a growing one, so a small stream never costs the threshold
        byte[] head = new byte[declared >= 0 ? first : Math.min(first, 64 * 1024)];
        int n = 0;
        while (true) {
            n += readFully(key, data, head, n, head.length - n);
            if (n < head.length || head.length == first) {
                break;
            }
            head = java.util.Arrays.copyOf(head, (int) Math.min(first, 2L * head.length));
        }
        int probe = n < first ? -1 : read(key, data);
        MessageDigest md5 = digest("MD5");
        MessageDigest sha = digest("SHA-256");
        if (probe < 0) {
            md5.update(head, 0, n);
            sha.update(head, 0, n);
            return single(key, blob, head, n, md5.digest(), sha.digest(), request);
        }
        InputStream rest = new SequenceInputStream(new ByteArrayInputStream(head, 0, n),
                new SequenceInputStream(new ByteArrayInputStream(new byte[] {(byte) probe}), data));
        return blocks(key, blob, rest, md5, sha, request);
    }

    private ObjectInfo single(String key, BlockBlobClient blob, byte[] bytes, int length, byte[] md5, byte[] sha,
            PutRequest request) {
        String sha256 = HEX.formatHex(sha);
        BlobHttpHeaders headers = AzureAttributes.headers(request).setContentMd5(md5);
        Map<String, String> metadata = AzureMetadata.encode(request.metadata(), request.modTime(), sha256,
                AzureMetadata.md5Hex(md5));
        BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(
                BinaryData.fromByteBuffer(ByteBuffer.wrap(bytes, 0, length)))
                .setHeaders(headers).setMetadata(metadata).setContentMd5(md5).setTier(settings.tier())
                .setTags(AzureAttributes.tags(request, settings.tags()));
        BlockBlobItem item = store.call("writing '" + key + "'",
                () -> blob.uploadWithResponse(options, null, null).getValue());
        return store.written(key, length, item, request, md5, sha256, headers.getContentType());
    }

    private ObjectInfo blocks(String key, BlockBlobClient blob, InputStream in, MessageDigest md5, MessageDigest sha,
            PutRequest request) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        int blockSize = (int) settings.blockSize();
        Semaphore permits = new Semaphore(settings.uploadConcurrency());
        List<Future<?>> staged = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        long total = 0;
        try {
            while (true) {
                byte[] block = new byte[blockSize];
                int n = readFully(key, in, block, blockSize);
                if (n == 0) {
                    break;
                }
                md5.update(block, 0, n);
                sha.update(block, 0, n);
                total += n;
                if (ids.size() == MAX_BLOCKS) {
                    throw MigrationException.userData("'" + key + "' is larger than Azure's 50,000 blocks of blockSize "
                            + blockSize + " bytes: raise the blockSize option");
                }
                String id = blockId(nonce, ids.size());
                ids.add(id);
                acquire(permits);
                failFast(staged);
                try {
                    staged.add(stagers.submit(() -> {
                        try {
                            stage(key, blob, id, block, n);
                        } finally {
                            permits.release();
                        }
                        return null;
                    }));
                } catch (RejectedExecutionException e) {
                    throw new MigrationException(ErrorKind.FATAL, "writing '" + key + "' to " + store.uri()
                            + " after the store was closed", e);
                }
                if (n < blockSize) {
                    break;
                }
            }
            for (Future<?> f : staged) {
                get(f);
            }
        } catch (RuntimeException e) {
            staged.forEach(f -> f.cancel(true));
            throw e;
        }
        byte[] whole = md5.digest();
        String sha256 = HEX.formatHex(sha.digest());
        BlobHttpHeaders headers = AzureAttributes.headers(request).setContentMd5(whole);
        BlockBlobCommitBlockListOptions options = new BlockBlobCommitBlockListOptions(ids).setHeaders(headers)
                .setMetadata(AzureMetadata.encode(request.metadata(), request.modTime(), sha256,
                        AzureMetadata.md5Hex(whole)))
                .setTier(settings.tier()).setTags(AzureAttributes.tags(request, settings.tags()));
        BlockBlobItem item = store.call("committing '" + key + "'",
                () -> blob.commitBlockListWithResponse(options, null, null).getValue());
        return store.written(key, total, item, request, whole, sha256, headers.getContentType());
    }

    /**
     * The write probe ({@link AzureBlobObjectStore#probeWrite}): stages one block of one byte under {@code key}, a name
     * no blob has, and never commits it. Proves what a write needs (the SAS's w, the container, the encryption scope
     * every request of this store names) without a blob appearing or anything to delete: no listing shows an
     * uncommitted block, and the service discards those of a never-committed blob after 7 days.
     */
    void probe(String key) {
        BlockBlobClient blob = store.blob(key).getBlockBlobClient();
        String id = Base64.getEncoder().encodeToString("caravan-write-probe".getBytes(StandardCharsets.US_ASCII));
        stage(key, blob, id, new byte[1], 1);
    }

    /** Stages one block with its transactional MD5, so the service rejects bytes damaged on the way. */
    void stage(String key, BlockBlobClient blob, String id, byte[] block, int length) {
        MessageDigest d = digest("MD5");
        d.update(block, 0, length);
        byte[] contentMd5 = d.digest();
        store.call("staging a block of '" + key + "'", () -> blob.stageBlockWithResponse(id,
                new ByteArrayInputStream(block, 0, length), length, contentMd5, null, null, null));
    }



    /** A block id of a put: Base64 of 16 random bytes and the block index, so every id has the same length. */
    private static String blockId(byte[] nonce, int index) {
        ByteBuffer b = ByteBuffer.allocate(nonce.length + 4).put(nonce).putInt(index);
        return Base64.getEncoder().encodeToString(b.array());
    }

    /** Reads until {@code length} bytes or the end of the stream; returns how many were read. */
    static int readFully(String key, InputStream in, byte[] buffer, int length) {
        return readFully(key, in, buffer, 0, length);
    }

    /** Reads into {@code buffer} from {@code offset} until {@code length} bytes or the end of the stream. */
    static int readFully(String key, InputStream in, byte[] buffer, int offset, int length) {
        int done = 0;
        try {
            while (done < length) {
                int r = in.read(buffer, offset + done, length - done);
                if (r < 0) {
                    break;
                }
                done += r;
            }
        } catch (IOException e) {
            throw AzureBlobErrors.readingSource(key, e);
        }
        return done;
    }

    private static int read(String key, InputStream in) {
        try {
            return in.read();
        } catch (IOException e) {
            throw AzureBlobErrors.readingSource(key, e);
        }
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    private static void acquire(Semaphore permits) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.TRANSIENT, "interrupted while uploading", e);
        }
    }

    private static void failFast(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            if (f.isDone()) {
                get(f);
            }
        }
    }

    private static void get(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.TRANSIENT, "interrupted while uploading", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new MigrationException(ErrorKind.FATAL, "block upload failed: " + e.getCause(), e.getCause());
        }
    }
}
