package dev.caravan.core.manifest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests (every JDK has the algorithm). */
final class Sha256 {
    private Sha256() {
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
