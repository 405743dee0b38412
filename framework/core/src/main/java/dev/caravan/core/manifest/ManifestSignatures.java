package dev.caravan.core.manifest;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.IoProblems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 signatures of manifests. A signature file ({@code FILE.sig}) holds, in Base64, the Ed25519 signature of the
 * SHA-256 of the manifest's bytes (so signing and checking stream the file, whatever its size). Keys are PEM files:
 * the private key PKCS#8 ({@code PRIVATE KEY}), the public key X.509 ({@code PUBLIC KEY}), as {@code openssl genpkey
 * -algorithm ed25519} writes them. Key problems are {@link ErrorKind#USER_CONFIG}; a signature that does not match is
 * {@link ErrorKind#VERIFICATION_FAILED}.
 */
public final class ManifestSignatures {
    private static final String ALGORITHM = "Ed25519";

    private ManifestSignatures() {
    }

    /** The signature file of a manifest: {@code FILE.sig}. */
    public static Path signatureOf(Path manifest) {
        return manifest.resolveSibling(manifest.getFileName() + ".sig");
    }

    /**
     * Writes a new key pair: {@code PREFIX.key} (private, readable by its owner only) and {@code PREFIX.pub}; refuses to
     * replace existing files.
     *
     * @return the two files, private key first
     */
    public static Path[] generate(String prefix) {
        Path privateFile = Path.of(prefix + ".key");
        Path publicFile = Path.of(prefix + ".pub");
        for (Path p : new Path[] {privateFile, publicFile}) {
            if (Files.exists(p)) {
                throw MigrationException.userConfig(p + " exists already; choose another prefix or remove it");
            }
        }
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rw-------")));
            Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return new Path[] {privateFile, publicFile};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot write the key pair " + prefix + ": "
                    + IoProblems.reason(e), e);
        }
    }

    /** Fails with {@link ErrorKind#USER_CONFIG} unless {@code keyFile} holds an Ed25519 private key (check it early). */
    public static void requirePrivateKey(Path keyFile) {
        readKey(keyFile, true);
    }

    /** Signs {@code manifest} with the private key in {@code keyFile}; returns the signature file written. */
    public static Path sign(Path manifest, Path keyFile) {
        PrivateKey key = (PrivateKey) readKey(keyFile, true);
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(digestOf(manifest));
            Path sig = signatureOf(manifest);
            Files.writeString(sig, Base64.getEncoder().encodeToString(signer.sign()) + "\n");
            return sig;
        } catch (GeneralSecurityException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot sign with " + keyFile + ": " + e, e);
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot write the signature of " + manifest, e);
        }
    }

    /** Checks {@code FILE.sig} against {@code manifest} with the public key in {@code keyFile}; fails if it differs. */
    public static void verify(Path manifest, Path keyFile) {
        PublicKey key = (PublicKey) readKey(keyFile, false);
        Path sigFile = signatureOf(manifest);
        byte[] signature;
        try {
            signature = Base64.getMimeDecoder().decode(Files.readString(sigFile).trim());
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot read the signature " + sigFile + ": "
                    + IoProblems.reason(e), e);
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "the signature " + sigFile + " is not Base64: "
                    + e.getMessage(), e);
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(digestOf(manifest));
            valid = verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            valid = false; // a signature of the wrong length
        } catch (GeneralSecurityException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot check with " + keyFile + ": " + e, e);
        }
        if (!valid) {
            throw new MigrationException(ErrorKind.VERIFICATION_FAILED, "the signature " + sigFile + " does not match "
                    + manifest + " and the key " + keyFile + ": the manifest was changed or signed with another key");
        }
    }

    private static byte[] digestOf(Path file) {
        MessageDigest sha = Sha256.newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                sha.update(buf, 0, n);
            }
            return sha.digest();
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot read the manifest " + file + ": " + IoProblems.reason(e), e);
        }
    }

    private static Object readKey(Path file, boolean privateKey) {
        String kind = privateKey ? "PRIVATE KEY" : "PUBLIC KEY";
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot read the key " + file + ": "
                    + IoProblems.reason(e), e);
        } catch (UncheckedIOException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot read the key " + file + ": "
                    + IoProblems.reason(e.getCause()), e);
        }
        String begin = "-----BEGIN " + kind + "-----";
        String end = "-----END " + kind + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw MigrationException.userConfig(file + " is not a PEM " + kind.toLowerCase(java.util.Locale.ROOT)
                    + " (expected a '" + begin + "' block, e.g. from 'caravan manifest keygen')");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            return privateKey ? factory.generatePrivate(new PKCS8EncodedKeySpec(der))
                    : factory.generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, file + " is not an Ed25519 "
                    + kind.toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage(), e);
        }
    }

    private static String pem(String kind, byte[] der) {
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + kind + "-----\n";
    }
}
