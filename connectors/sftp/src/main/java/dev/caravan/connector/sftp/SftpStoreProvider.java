package dev.caravan.connector.sftp;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code sftp} scheme: objects are files under a directory of an SSH server, e.g.
 * {@code sftp:alice@files.example.com:22/srv/data} (see {@link SftpLocation} for the location syntax). Password or
 * key authentication; the server's host key is checked against known_hosts or a declared fingerprint by default.
 * Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 */
public final class SftpStoreProvider implements StoreProvider {

    /** The URI scheme. */
    public static final String SCHEME = "sftp";

    /** Password of the SSH user. */
    public static final OptionDef PASSWORD = OptionDef.of("password", OptionType.PASSWORD,
            "Password of the SSH user (password or keyboard-interactive authentication). Masked in logs and "
                    + "reports. Give password, privateKey or both.");

    /** Private key file. */
    public static final OptionDef PRIVATE_KEY = OptionDef.of("privateKey", OptionType.STRING,
            "Path of a private key file for public-key authentication (OpenSSH or PEM format: RSA, ECDSA; "
                    + "Ed25519 where the JVM's security provider supports it). '~/' is the home directory.");

    /** Passphrase of the private key. */
    public static final OptionDef PRIVATE_KEY_PASSPHRASE = OptionDef.of("privateKeyPassphrase", OptionType.PASSWORD,
            "Passphrase that decrypts privateKey, when the key is encrypted. Masked in logs and reports.");

    /** known_hosts file. */
    public static final OptionDef KNOWN_HOSTS = OptionDef.of("knownHosts", OptionType.STRING,
            "OpenSSH known_hosts file the server's host key is checked against (hashed entries, [host]:port "
                    + "entries and @revoked markers are understood). Not written to.")
            .withDefault("~/.ssh/known_hosts");

    /** Expected fingerprint of the host key. */
    public static final OptionDef HOST_KEY_FINGERPRINT = OptionDef.of("hostKeyFingerprint", OptionType.STRING,
            "Expected SHA-256 fingerprint of the server's host key, as 'ssh-keygen -lf' prints it (SHA256:...). "
                    + "When set, it replaces the known_hosts check: any other key is refused.")
            .withValidator(v -> v.trim().startsWith("SHA256:") && v.trim().length() > 20 ? null
                    : "expected a fingerprint like SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s "
                            + "(from 'ssh-keygen -lf <host key>.pub' or 'ssh-keyscan HOST | ssh-keygen -lf -')");

    /** Whether unknown or changed host keys are refused. */
    public static final OptionDef STRICT_HOST_KEY_CHECKING = OptionDef.of("strictHostKeyChecking",
            OptionType.BOOLEAN,
            "Refuse to connect when the server's host key is unknown or has changed (USER_CONFIG error naming the "
                    + "fingerprint seen). Setting false accepts any key and only logs it: open to "
                    + "man-in-the-middle attacks; for throw-away test servers only.")
            .withDefault("true");

    /** Timeout of connecting and logging in. */
    public static final OptionDef CONNECT_TIMEOUT = OptionDef.of("connectTimeout", OptionType.DURATION,
            "How long to wait for the TCP connection, the SSH handshake and the login, each.")
            .withDefault("30s");

    /** Pool size. */
    public static final OptionDef SESSIONS = OptionDef.of("sessions", OptionType.INT,
            "Most SSH connections kept open to the server, each with one SFTP channel; parallel transfers are "
                    + "spread over them (a channel may carry several at once). Opened on demand. Keep it at or "
                    + "below the server's MaxStartups/MaxSessions limits.")
            .withDefault("4")
            .withValidator(v -> {
                int n = Integer.parseInt(v.trim());
                return n >= 1 && n <= 64 ? null : "must be between 1 and 64";
            });

    /** Whether to create a missing root directory. */
    public static final OptionDef CREATE_ROOT = OptionDef.of("createRoot", OptionType.BOOLEAN,
            "Create a missing root directory (and its parents) on the first write. Never done for reading: a "
                    + "missing source directory is an error. Set false to make writes into a missing (mistyped) "
                    + "root fail instead.")
            .withDefault("true");

    /** Bytes per SFTP request. */
    public static final OptionDef BUFFER_SIZE = OptionDef.of("bufferSize", OptionType.SIZE,
            "Bytes per SFTP read or write request; many requests are in flight at once (as many as the SSH "
                    + "window allows). OpenSSH accepts up to 255k. Writes are cut to fit one SSH packet of the "
                    + "server (32 KiB minus 29 bytes with OpenSSH), which MINA sends without copying it.")
            .withDefault("32k")
            .withValidator(v -> {
                long n = dev.caravan.api.config.Config.parseSize(v);
                return n >= 4096 && n <= 255 * 1024 ? null : "must be between 4k and 255k";
            });

    /** Whether to write holes. */
    public static final OptionDef SPARSE = OptionDef.of("sparse", OptionType.BOOLEAN,
            "Do not send 64 KiB blocks (at 64 KiB offsets) that are all zeros: the write skips them, so the "
                    + "server's file gets a hole there (sparse disk images stay sparse and their holes cross no "
                    + "network). The file reads back identically either way.")
            .withDefault("true");

    /** How the server hashes written files. */
    public static final OptionDef HASH_COMMAND = OptionDef.of("hashCommand", OptionType.STRING,
            "How the SHA-256 of a written file of 1 MiB or more is computed on the server, so verification "
                    + "needs no download: 'auto' tries sha256sum, 'openssl dgst -sha256 -r', 'shasum -a 256' and "
                    + "sha256 once over an SSH exec channel (and uses openssl from 8 MiB where it works); 'none' "
                    + "never runs a command; anything else is the command to run (it reads the file on stdin and "
                    + "prints the hex digest first). Smaller files, servers that run no commands (internal-sftp "
                    + "only, ForceCommand) and failed commands: the file is read back instead.")
            .withDefault(SftpRemoteHash.AUTO)
            .withValidator(SftpRemoteHash::validate);

    /** Whether a file's name implies its content type. */
    public static final OptionDef GUESS_CONTENT_TYPE = OptionDef.of("guessContentType", OptionType.BOOLEAN,
            "Report the content type a file's extension implies (.html text/html, .json application/json, .png "
                    + "image/png, ...), as rclone's SFTP backend does: a copy to S3 or Azure then stores it, and a "
                    + "copy to SFTP of an object whose content type its name implies notes nothing as lost. Set "
                    + "false to report none.")
            .withDefault("true");

    /** From which size a file read whole is checked for changes made while it was read. */
    public static final OptionDef CHANGE_CHECK_FROM = OptionDef.of("changeCheckFrom", OptionType.SIZE,
            "Files of at least this size are checked, once read to their end, for a change made while they were "
                    + "read (size and modification time, one FSTAT of the open file): a file written to meanwhile "
                    + "fails and is copied again instead of being a mixture of two versions. Smaller files are read "
                    + "in one burst of requests and not checked, which saves a round trip each (5-8% of a copy of "
                    + "small files on loopback, more over a WAN). 0 checks every file.")
            .withDefault("1M");

    private static final Options OPTIONS = Options.of("connector " + SCHEME, PASSWORD, PRIVATE_KEY,
            PRIVATE_KEY_PASSPHRASE, KNOWN_HOSTS, HOST_KEY_FINGERPRINT, STRICT_HOST_KEY_CHECKING, CONNECT_TIMEOUT,
            SESSIONS, CREATE_ROOT, BUFFER_SIZE, SPARSE, HASH_COMMAND, GUESS_CONTENT_TYPE, CHANGE_CHECK_FROM);

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String description() {
        return "Files on an SSH server over SFTP (password or key login, host-key checking)";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    /**
     * Opens the directory of {@code location} ({@code [user@]host[:port][/path]}). Nothing is connected yet: the
     * first operation connects, so a bad password or host key shows up there (as USER_CONFIG).
     *
     * @param config options resolved by {@link #options()}; {@code null} means all defaults
     */
    @Override
    public ObjectStore open(String location, Config config) {
        SftpLocation where = SftpLocation.parse(location);
        Config c = config == null ? OPTIONS.resolve(Map.of()) : config;
        SftpSettings settings = new SftpSettings(
                c.string(PASSWORD.name()),
                path(c.string(PRIVATE_KEY.name()), PRIVATE_KEY.name()),
                c.string(PRIVATE_KEY_PASSPHRASE.name()),
                path(c.string(KNOWN_HOSTS.name()), KNOWN_HOSTS.name()),
                c.string(HOST_KEY_FINGERPRINT.name()),
                c.bool(STRICT_HOST_KEY_CHECKING.name()),
                c.duration(CONNECT_TIMEOUT.name()).orElse(Duration.ofSeconds(30)),
                c.intValue(SESSIONS.name(), 4),
                c.bool(CREATE_ROOT.name()),
                (int) (long) c.size(BUFFER_SIZE.name()).orElse(32L * 1024),
                c.bool(SPARSE.name()),
                c.string(HASH_COMMAND.name()),
                c.bool(GUESS_CONTENT_TYPE.name()),
                c.size(CHANGE_CHECK_FROM.name()).orElse(1L << 20));
        return new SftpObjectStore(where, settings);
    }

    /** A local path option; {@code ~/} is the user's home directory. */
    static Path path(String value, String option) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.equals("~") || v.startsWith("~/")) {
            v = System.getProperty("user.home") + v.substring(1);
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw MigrationException.userConfig("option " + option + ": not a valid path: '" + value + "'");
        }
    }
}
