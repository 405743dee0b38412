package dev.caravan.camel.objects;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers: a counting, hashing input stream and "hash this stored object" with stored-hash shortcut. */
public final class Hashing {
    private Hashing() {
    }

    /** A new SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** SHA-256 of an object as hex: the store's own hash when it has one, else computed by reading it. */
    public static String sha256Of(ObjectStore store, ObjectInfo info) {
        return info.hash(HashType.SHA256).orElseGet(() -> sha256Of(store, info.key()));
    }

    /** SHA-256 of an object as hex, computed by reading it. */
    public static String sha256Of(ObjectStore store, String key) {
        try (HashingInputStream in = new HashingInputStream(store.open(key, ByteRange.ALL))) {
            in.transferTo(OutputStream.nullOutputStream());
            return in.hex();
        } catch (IOException e) {
            throw MigrationException.transientError("reading " + store.uri() + " " + key + ": " + e.getMessage(), e);
        }
    }

    /** Counts and hashes (SHA-256) every byte read through it. */
    public static final class HashingInputStream extends FilterInputStream {
        private final MessageDigest digest = sha256();
        private long count;

        public HashingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                digest.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                digest.update(buf, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("a hashing stream cannot skip");
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** Bytes read so far. */
        public long count() {
            return count;
        }

        /** The hex SHA-256 of everything read; call once, at the end. */
        public String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

}
