package dev.caravan.connector.local;

import dev.caravan.api.store.ComputedDigest.PartDigests;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 digests of a file's bytes, read once: of the whole, or of the whole and of each part. */
final class LocalDigests {
    private static final int BUFFER = 1 << 20;
    /** One buffer per thread that hashes, not one per file: verifying 2,000 small files allocated 2 GB. */
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);

    private LocalDigests() {
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest digest = newSha256();
        byte[] buffer = BUFFERS.get();
        for (int n; (n = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The whole stream's SHA-256 and that of each {@code partSize} piece (at least one piece, the last shorter). */
    static PartDigests withParts(InputStream in, long partSize) throws IOException {
        if (partSize <= 0) {
            throw new IllegalArgumentException("part size " + partSize);
        }
        MessageDigest whole = newSha256();
        MessageDigest part = newSha256();
        List<byte[]> parts = new ArrayList<>();
        long inPart = 0;
        byte[] buffer = BUFFERS.get();
        for (int n; (n = in.read(buffer)) >= 0; ) {
            whole.update(buffer, 0, n);
            for (int at = 0; at < n; ) {
                int take = (int) Math.min(n - at, partSize - inPart);
                part.update(buffer, at, take);
                at += take;
                inPart += take;
                if (inPart == partSize) {
                    parts.add(part.digest());
                    inPart = 0;
                }
            }
        }
        if (inPart > 0 || parts.isEmpty()) {
            parts.add(part.digest());
        }
        return new PartDigests(HexFormat.of().formatHex(whole.digest()), parts);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
