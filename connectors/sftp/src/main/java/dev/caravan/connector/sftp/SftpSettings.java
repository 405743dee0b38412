package dev.caravan.connector.sftp;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How an SFTP store connects and writes; see the options of {@link SftpStoreProvider} for what each one means.
 * Immutable; {@link #toString()} masks the secrets.
 *
 * @param password              password, or {@code null}
 * @param privateKey            private key file, or {@code null}
 * @param privateKeyPassphrase  passphrase of the key, or {@code null}
 * @param knownHosts            known_hosts file, or {@code null}
 * @param hostKeyFingerprint    expected {@code SHA256:...} fingerprint, or {@code null}
 * @param strictHostKeyChecking refuse unknown or changed host keys
 * @param connectTimeout        timeout of connecting and logging in
 * @param sessions              most SSH connections (each with one SFTP channel)
 * @param createRoot            create a missing root directory on the first write
 * @param bufferSize            bytes per SFTP read or write request
 * @param sparse                write all-zero blocks as holes
 * @param hashCommand           {@code auto}, {@code none} or the server command that prints a SHA-256
 * @param guessContentType      report the content type a file's name implies
 * @param changeCheckFrom       files read whole from this size on are checked for changes made meanwhile
 */
record SftpSettings(
        String password,
        Path privateKey,
        String privateKeyPassphrase,
        Path knownHosts,
        String hostKeyFingerprint,
        boolean strictHostKeyChecking,
        Duration connectTimeout,
        int sessions,
        boolean createRoot,
        int bufferSize,
        boolean sparse,
        String hashCommand,
        boolean guessContentType,
        long changeCheckFrom) {

    @Override
    public String toString() {
        return "SftpSettings[password=" + (password == null ? "none" : "****") + ", privateKey=" + privateKey
                + ", privateKeyPassphrase=" + (privateKeyPassphrase == null ? "none" : "****") + ", knownHosts="
                + knownHosts + ", hostKeyFingerprint=" + hostKeyFingerprint + ", strictHostKeyChecking="
                + strictHostKeyChecking + ", connectTimeout=" + connectTimeout + ", sessions=" + sessions
                + ", createRoot=" + createRoot + ", bufferSize=" + bufferSize + ", sparse=" + sparse
                + ", hashCommand=" + hashCommand + ", guessContentType=" + guessContentType + ", changeCheckFrom="
                + changeCheckFrom + "]";
    }
}
