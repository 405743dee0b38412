package dev.caravan.core.hash;

import dev.caravan.api.store.HashType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Passes bytes through while computing their SHA-256 (always) and any other digests asked for (the ones the
 * target store reports, so a copy can be verified against them without reading it back), and counting them.
 * A multi-hasher: every digest in one pass. Not thread-safe.
 */
public final class HashingInputStream extends FilterInputStream {
    private final Map<HashType, MessageDigest> digests = new EnumMap<>(HashType.class);
    private final CRC32C crc32c;
    private long count;
    private Map<HashType, String> result;

    /** Hashes with SHA-256 only. */
    public HashingInputStream(InputStream in) {
        this(in, Set.of());
    }

    /** Hashes with SHA-256 and the given types. */
    public HashingInputStream(InputStream in, Set<HashType> extra) {
        super(in);
        Set<HashType> types = EnumSet.of(HashType.SHA256);
        types.addAll(extra);
        CRC32C crc = null;
        for (HashType t : types) {
            if (t == HashType.CRC32C) {
                crc = new CRC32C();
            } else {
                digests.put(t, newDigest(t.algorithm()));
            }
        }
        this.crc32c = crc;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            update(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            update(buf, off, n);
        }
        return n;
    }

    private void update(byte[] buf, int off, int n) {
        for (MessageDigest md : digests.values()) {
            md.update(buf, off, n);
        }
        if (crc32c != null) {
            crc32c.update(buf, off, n);
        }
        count += n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("a hashing stream cannot skip bytes");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    /** Hex digests of the bytes read, by type; computed once, at the end. */
    public Map<HashType, String> digests() {
        if (result == null) {
            Map<HashType, String> out = new EnumMap<>(HashType.class);
            digests.forEach((t, md) -> out.put(t, HexFormat.of().formatHex(md.digest())));
            if (crc32c != null) {
                out.put(HashType.CRC32C, HexFormat.of().formatHex(
                        ByteBuffer.allocate(4).putInt((int) crc32c.getValue()).array()));
            }
            result = Map.copyOf(out);
        }
        return result;
    }

    /** Hex SHA-256 of the bytes read. */
    public String sha256Hex() {
        return digests().get(HashType.SHA256);
    }

    /** Reads a stream to its end and returns its hex SHA-256 (the stream is not closed). */
    public static String sha256Of(InputStream in) throws IOException {
        HashingInputStream h = new HashingInputStream(in);
        byte[] buf = new byte[1 << 16];
        while (h.read(buf) > 0) {
            // drain
        }
        return h.sha256Hex();
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
