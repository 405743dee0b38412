package dev.caravan.connector.azureblob;

import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link MultipartUpload} mapped onto block blobs. The upload id is {@code v1.<nonce>.<request>}: a random nonce,
 * from which every block id derives (Base64 of {@code cv<nonce><part number, 6 digits>}, so all ids have one length),
 * and the put request (content type, content headers, modification time, user metadata, tags) in Base64, because Azure has nowhere to keep
 * it before the commit and a resumed upload in a new process must still commit it.
 *
 * <ul>
 * <li>{@link #begin}: no request; nothing exists on the server until the first block.</li>
 * <li>{@link #uploadPart}: Put Block with the part's transactional Content-MD5 (the service rejects damaged bytes,
 * hence {@link #verifiesParts()}); repeating it replaces the block.</li>
 * <li>{@link #listParts}: the blob's uncommitted block list, filtered by the nonce, so a killed upload resumes with
 * the blocks the service already holds (they survive for 7 days).</li>
 * <li>{@link #complete}: Put Block List in part order with the content type, metadata and modification time;
 * repeating it after success commits the same, now committed, blocks again.</li>
 * <li>{@link #abort}: Azure has no call to drop uncommitted blocks. When no committed blob exists under the name,
 * the blob is deleted, which discards them (Azurite; the service discards them within 7 days anyway), unless the
 * credentials may not delete (a SAS without d): then, as when a committed blob exists, the blob is left alone and the
 * uncommitted blocks expire after 7 days. They are never visible to readers.</li>
 * </ul>
 * Thread-safe.
 */
final class AzureBlobMultipart implements MultipartUpload {
    private static final String VERSION = "v1";
    private static final String BLOCK_PREFIX = "cv";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AzureBlobObjectStore store;

    AzureBlobMultipart(AzureBlobObjectStore store) {
        this.store = store;
    }

    @Override
    public long minPartSize() {
        return 1; // Azure has no lower limit on a block's size
    }

    /** {@code blockSize}: the blocks a put of this store stages. */
    @Override
    public long preferredPartSize() {
        return store.settings().blockSize();
    }

    /** {@code singleUploadThreshold}: larger puts are staged as blocks ({@link AzureBlobUploader}). */
    @Override
    public long largestSingleRequest() {
        return store.settings().singleUploadThreshold();
    }

    @Override
    public boolean verifiesParts() {
        return true;
    }

    @Override
    public String begin(String key, PutRequest request) {
        store.blobName(key);
        store.ensureContainer();
        return newUploadId(request);
    }

    /** A new upload id: a random nonce and the request. */
    static String newUploadId(PutRequest request) {
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        return VERSION + "." + HexFormat.of().formatHex(nonce) + "." + encodeRequest(request);
    }

    @Override
    public List<Part> listParts(String key, String uploadId) {
        Upload upload = parse(uploadId);
        BlockBlobClient blob = store.blob(key).getBlockBlobClient();
        BlockList blocks;
        try {
            blocks = blob.listBlocks(BlockListType.UNCOMMITTED);
        } catch (RuntimeException e) {
            if (AzureBlobErrors.isBlobNotFound(e)) {
                return List.of(); // no block staged yet, or all expired
            }
            throw store.errors().translate(e, "listing the staged blocks of '" + key + "'");
        }
        List<Part> parts = new ArrayList<>();
        for (Block block : blocks.getUncommittedBlocks()) {
            int number = partNumber(upload.nonce(), block.getName());
            if (number > 0) {
                parts.add(new Part(number, block.getSizeLong(), block.getName()));
            }
        }
        parts.sort(Comparator.comparingInt(Part::number));
        return parts;
    }

    @Override
    public Part uploadPart(String key, String uploadId, int number, InputStream data, long size) {
        Upload upload = parse(uploadId);
        if (number < 1 || number > 999_999) {
            throw new MigrationException(ErrorKind.FATAL, "part number " + number + " is out of range 1..999999");
        }
        if (size > Integer.MAX_VALUE - 64) {
            throw new MigrationException(ErrorKind.FATAL, "part of " + size + " bytes is too large for one block");
        }
        BlockBlobClient blob = store.blob(key).getBlockBlobClient();
        String id = blockId(upload.nonce(), number);
        InputStream body = data;
        byte[] md5;
        try {
            if (data.markSupported()) {
                data.mark(Integer.MAX_VALUE);
                md5 = md5(key, data, size);
                data.reset();
            } else {
                byte[] bytes = new byte[(int) size];
                if (AzureBlobUploader.readFully(key, data, bytes, (int) size) != size) {
                    throw new MigrationException(ErrorKind.TRANSIENT, "part " + number + " of '" + key
                            + "' ended before its " + size + " bytes");
                }
                MessageDigest d = AzureBlobUploader.digest("MD5");
                d.update(bytes);
                md5 = d.digest();
                body = new ByteArrayInputStream(bytes);
            }
        } catch (IOException e) {
            throw AzureBlobErrors.readingSource(key, e);
        }
        InputStream send = body;
        store.call("staging part " + number + " of '" + key + "'",
                () -> blob.stageBlockWithResponse(id, send, size, md5, null, null, null));
        return new Part(number, size, id);
    }

    @Override
    public ObjectInfo complete(String key, String uploadId, List<Part> parts) {
        Upload upload = parse(uploadId);
        List<Part> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparingInt(Part::number));
        List<String> ids = new ArrayList<>();
        long size = 0;
        for (int i = 0; i < ordered.size(); i++) {
            Part p = ordered.get(i);
            if (p.number() != i + 1) {
                throw new MigrationException(ErrorKind.FATAL, "cannot complete '" + key + "': part " + (i + 1)
                        + " is missing (parts given: " + ordered.stream().map(Part::number).toList() + ")");
            }
            ids.add(blockId(upload.nonce(), p.number()));
            size += p.size();
        }
        BlockBlobClient blob = store.blob(key).getBlockBlobClient();
        requireStaged(key, blob, ordered, ids);
        PutRequest request = upload.request();
        BlockBlobCommitBlockListOptions options = new BlockBlobCommitBlockListOptions(ids)
                .setHeaders(AzureAttributes.headers(request))
                .setMetadata(AzureMetadata.encode(request.metadata(), request.modTime(), null))
                .setTier(store.settings().tier()).setTags(AzureAttributes.tags(request, store.settings().tags()));
        BlockBlobItem item = store.call("committing the blocks of '" + key + "'",
                () -> blob.commitBlockListWithResponse(options, null, null).getValue());
        return store.written(key, size, item, request, null, null, options.getHeaders().getContentType());
    }

    /**
     * Checks that every part is held by the service with its size, before the commit: Azure would refuse a missing
     * block, but Azurite commits without it. Committed blocks count too, so completing twice works.
     */
    private void requireStaged(String key, BlockBlobClient blob, List<Part> parts, List<String> ids) {
        Map<String, Long> held = new LinkedHashMap<>();
        try {
            BlockList blocks = blob.listBlocks(BlockListType.ALL);
            blocks.getCommittedBlocks().forEach(b -> held.put(b.getName(), b.getSizeLong()));
            blocks.getUncommittedBlocks().forEach(b -> held.put(b.getName(), b.getSizeLong()));
        } catch (RuntimeException e) {
            if (!AzureBlobErrors.isBlobNotFound(e)) {
                throw store.errors().translate(e, "listing the staged blocks of '" + key + "'");
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            Long size = held.get(ids.get(i));
            if (size == null || size != parts.get(i).size()) {
                throw MigrationException.notFound("cannot complete '" + key + "': part " + parts.get(i).number()
                        + (size == null ? " is not staged (uncommitted blocks expire after 7 days, and any other write"
                        + " to the blob discards them)" : " holds " + size + " bytes, not " + parts.get(i).size()));
            }
        }
    }

    @Override
    public void abort(String key, String uploadId) {
        parse(uploadId);
        if (store.stat(key).isPresent()) {
            return; // never touch a committed blob; its uncommitted blocks expire after 7 days
        }
        try {
            store.delete(key);
        } catch (MigrationException e) {
            if (!AzureBlobErrors.isPermissionMismatch(e.getCause())) {
                throw e;
            }
            // credentials that may not delete (a SAS without d): the blocks, never visible, expire after 7 days
        }
    }

    /** The block id of part {@code number} of the upload with {@code nonce}. */
    static String blockId(String nonce, int number) {
        String raw = BLOCK_PREFIX + nonce + String.format("%06d", number);
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** The part number a block id encodes for {@code nonce}, or -1 when it belongs to something else. */
    static int partNumber(String nonce, String blockId) {
        String raw;
        try {
            raw = new String(Base64.getDecoder().decode(blockId), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        String prefix = BLOCK_PREFIX + nonce;
        if (!raw.startsWith(prefix) || raw.length() != prefix.length() + 6) {
            return -1;
        }
        try {
            return Integer.parseInt(raw.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A parsed upload id. */
    record Upload(String nonce, PutRequest request) {
    }

    static Upload parse(String uploadId) {
        String[] parts = uploadId == null ? new String[0] : uploadId.split("\\.", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION) || !parts[1].matches("[0-9a-f]{16}")) {
            throw new MigrationException(ErrorKind.FATAL, "not an upload id of the Azure Blob connector: '"
                    + uploadId + "'");
        }
        return new Upload(parts[1], decodeRequest(parts[2]));
    }

    static String encodeRequest(PutRequest request) {
        StringBuilder sb = new StringBuilder();
        if (request.contentType() != null) {
            sb.append("t=").append(enc(request.contentType())).append('&');
        }
        if (request.modTime() != null) {
            sb.append("m=").append(enc(request.modTime().toString())).append('&');
        }
        for (Map.Entry<String, String> e : request.metadata().entrySet()) {
            if (!e.getKey().equalsIgnoreCase(AzureMetadata.ENGINE_SHA256)) {
                sb.append("u.").append(enc(e.getKey())).append('=').append(enc(e.getValue())).append('&');
            }
        }
        request.headers().asMap().forEach((k, v) -> sb.append("h.").append(enc(k)).append('=').append(enc(v))
                .append('&'));
        request.tags().forEach((k, v) -> sb.append("g.").append(enc(k)).append('=').append(enc(v)).append('&'));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static PutRequest decodeRequest(String encoded) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorKind.FATAL, "damaged upload id: " + e.getMessage(), e);
        }
        String contentType = null;
        Instant modTime = null;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("t")) {
                contentType = value;
            } else if (name.equals("m")) {
                try {
                    modTime = Instant.parse(value);
                } catch (DateTimeException e) {
                    throw new MigrationException(ErrorKind.FATAL, "damaged upload id: bad time " + value, e);
                }
            } else if (name.startsWith("u.")) {
                metadata.put(name.substring(2), value);
            } else if (name.startsWith("h.")) {
                headers.put(name.substring(2), value);
            } else if (name.startsWith("g.")) {
                tags.put(name.substring(2), value);
            }
        }
        return new PutRequest(-1, modTime, contentType, metadata, -1, ContentHeaders.fromMap(headers), tags);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    private static byte[] md5(String key, InputStream in, long size) throws IOException {
        MessageDigest d = AzureBlobUploader.digest("MD5");
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new MigrationException(ErrorKind.TRANSIENT, "a part of '" + key + "' ended " + left
                        + " bytes before its announced size");
            }
            d.update(buf, 0, n);
            left -= n;
        }
        return d.digest();
    }
}
