package dev.caravan.application;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Made-up secrets in the forms the redaction must recognise, put together when a test runs, so that the sources hold
 * no text a secret scanner would take for a real private key or token.
 */
final class FakeSecrets {
    private FakeSecrets() {
    }

    /** A PEM armour line of a private key of {@code kind}; {@code edge} is BEGIN or END. */
    static String armour(String edge, String kind) {
        return "-----" + edge + " " + kind + " PRIVATE" + " KEY-----";
    }

    /** A private key block of {@code kind} (OPENSSH, RSA) around {@code body}. */
    static String privateKey(String kind, String body) {
        return armour("BEGIN", kind) + "\n" + body + "\n" + armour("END", kind);
    }

    /** A JSON web token for {@code subject}, signed with nothing real. */
    static String jwt(String subject) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + subject + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("signature".getBytes(StandardCharsets.UTF_8));
    }
}
