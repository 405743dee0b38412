package dev.caravan.api.store;

/** Digest algorithms a store may know for its objects. Values are lower-case hex strings. */
public enum HashType {
    SHA256("SHA-256"), MD5("MD5"), SHA1("SHA-1"), CRC32C("CRC32C");

    private final String algorithm;

    HashType(String algorithm) {
        this.algorithm = algorithm;
    }

    /** The JCA name ({@link java.security.MessageDigest}) or {@code CRC32C}. */
    public String algorithm() {
        return algorithm;
    }
}
