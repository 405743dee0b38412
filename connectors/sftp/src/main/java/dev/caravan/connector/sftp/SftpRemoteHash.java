package dev.caravan.connector.sftp;

import dev.caravan.api.error.MigrationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SHA-256 of a file computed by the SSH server itself, over an exec channel of the store's own connection (as
 * rclone's sftp backend does with {@code md5sum}), so that verifying a written file needs no download. The
 * command is {@code auto} (the first of {@link #CANDIDATES} that hashes an empty input correctly, tried once per
 * store on first use; files of {@link #BULK_SIZE} and more go to {@link #OPENSSL} where it works), {@code none}, or
 * a command given by the user. A file is hashed as {@code COMMAND < 'path'}
 * on the server's shell: the path is single-quoted (any byte but NUL is safe in it, see {@link #quote}) and fed
 * through stdin, so names with spaces, quotes, {@code $}, newlines or a leading {@code -} are never parsed by the
 * shell or the command. When the server runs no commands (internal-sftp only, {@code ForceCommand}, a refused
 * exec channel) or a command fails, {@link #sha256} answers empty and the caller falls back (the engine then reads
 * the file back). Thread-safe.
 */
final class SftpRemoteHash {
    private static final Logger LOG = LoggerFactory.getLogger(SftpRemoteHash.class);

    /** The value of the option that probes {@link #CANDIDATES}. */
    static final String AUTO = "auto";
    /** The value of the option that never runs a command. */
    static final String NONE = "none";
    /**
     * Tried in order by {@code auto}: GNU coreutils and busybox ({@code sha256sum}, starts in about 1 ms), OpenSSL
     * (about 3x faster on large files where the CPU has SHA extensions, but about 5 ms to start), Perl's
     * {@code shasum} (macOS) and the BSDs' {@code sha256}.
     */
    static final List<String> CANDIDATES = List.of("sha256sum", "openssl dgst -sha256 -r", "shasum -a 256",
            "sha256");
    /** The command {@code auto} prefers for large files: slower to start, faster per byte. */
    static final String OPENSSL = "openssl dgst -sha256 -r";
    /**
     * Files from this size on are hashed with {@link #OPENSSL} under {@code auto}: 256 MiB took 0.18 s with it and
     * 0.53 s with {@code sha256sum} (SHA extensions; coreutils 9.1 has its own C code), while it starts in ~6 ms
     * instead of ~1.3 ms, which 4 MiB already make up for.
     */
    static final long BULK_SIZE = 8L << 20;
    /** SHA-256 of no bytes: what a working command prints for an empty input. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** A remote hash must keep up at least this rate (bytes per second) or it is abandoned. */
    private static final long SLOWEST_RATE = 8L << 20;
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Set<ClientChannelEvent> DONE = EnumSet.of(ClientChannelEvent.CLOSED);

    private final String configured;
    private final Duration timeout;
    private final Object detectLock = new Object();
    /** The working command; {@code null} until detected; {@code ""} when none works (or the option is none). */
    private volatile String command;
    /** The command for files of {@link #BULK_SIZE} and more; set with {@link #command}. */
    private volatile String bulkCommand;
    private volatile boolean warned;

    /**
     * @param configured {@code auto}, {@code none} or a command line (validated by {@link #validate})
     * @param timeout    base timeout of one command (its size-proportional allowance comes on top)
     */
    SftpRemoteHash(String configured, Duration timeout) {
        String value = configured == null || configured.isBlank() ? AUTO : configured.trim();
        this.configured = value.equalsIgnoreCase(AUTO) ? AUTO : value.equalsIgnoreCase(NONE) ? NONE : value;
        this.timeout = timeout;
        if (NONE.equals(this.configured)) {
            bulkCommand = "";
            command = "";
        }
    }

    /** The option's validator: {@code null} when {@code value} is acceptable, else what is wrong. */
    static String validate(String value) {
        if (value == null || value.isBlank()) {
            return "expected auto, none or a command such as 'sha256sum'";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r' || c == 0) {
                return "must be one line (auto, none or a command such as 'sha256sum')";
            }
        }
        return null;
    }

    /**
     * The SHA-256 (lower-case hex) of the server's file {@code path}, computed on the server, or empty when no
     * command is available or this one failed (the reason is logged).
     *
     * @param sftp the channel the file was written through; its SSH connection carries the command
     * @param path the file's absolute path on the server
     * @param size its size, which stretches the timeout
     */
    Optional<String> sha256(SftpClient sftp, String path, long size) {
        String cmd = command(sftp.getClientSession()).isEmpty() || size < BULK_SIZE ? command : bulkCommand;
        if (cmd.isEmpty()) {
            return Optional.empty();
        }
        Duration limit = timeout.plusSeconds(Math.max(0, size) / SLOWEST_RATE);
        try {
            Optional<String> digest = run(sftp.getClientSession(), cmd + " < " + quote(path), limit);
            if (digest.isEmpty()) {
                complain("'" + cmd + "' printed no SHA-256 for " + path, null);
            }
            return digest;
        } catch (IOException | RuntimeException e) {
            complain("'" + cmd + "' failed for " + path + ": " + e.getMessage(), e);
            return Optional.empty();
        }
    }

    /** The command in use, detecting it on first use; {@code ""} when there is none. */
    String command(ClientSession session) {
        String known = command;
        if (known != null) {
            return known;
        }
        synchronized (detectLock) {
            if (command == null) {
                String found = detect(session);
                bulkCommand = found.isEmpty() || !AUTO.equals(configured) || found.equals(OPENSSL) ? found
                        : works(session, OPENSSL) ? OPENSSL : found;
                command = found; // last: readers that see it see bulkCommand too
                LOG.debug("{}", this);
            }
            return command;
        }
    }

    private boolean works(ClientSession session, String candidate) {
        try {
            return run(session, candidate + " < /dev/null", timeout).filter(EMPTY_SHA256::equals).isPresent();
        } catch (IOException | RuntimeException e) {
            LOG.debug("'{}' cannot run on the SFTP server: {}", candidate, e.toString());
            return false;
        }
    }

    private String detect(ClientSession session) {
        List<String> tries = AUTO.equals(configured) ? CANDIDATES : List.of(configured);
        for (String candidate : tries) {
            try {
                Optional<String> empty = run(session, candidate + " < /dev/null", timeout);
                if (empty.isPresent() && empty.get().equals(EMPTY_SHA256)) {
                    LOG.debug("the SFTP server hashes written files with '{}'", candidate);
                    return candidate;
                }
                LOG.debug("'{}' on the SFTP server printed no SHA-256 of an empty input", candidate);
            } catch (ExecRefused e) {
                LOG.debug("the SFTP server refuses to run commands: {}", e.getMessage());
                break; // no other command will run either
            } catch (IOException | RuntimeException e) {
                LOG.debug("'{}' cannot run on the SFTP server: {}", candidate, e.toString());
            }
        }
        if (AUTO.equals(configured)) {
            LOG.info("the SFTP server runs none of {} (no shell access?): written files are verified by reading "
                    + "them back (option hashCommand)", CANDIDATES);
        } else {
            LOG.warn("hashCommand '{}' does not print the SHA-256 of an empty input on the SFTP server: written "
                    + "files are verified by reading them back", configured);
        }
        return "";
    }

    /**
     * Runs {@code line} on the server with empty stdin; the digest it printed when it exited with 0.
     *
     * @throws ExecRefused when the server ran nothing (exec refused, or no exit status)
     */
    private static Optional<String> run(ClientSession session, String line, Duration limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        ByteArrayOutputStream err = new ByteArrayOutputStream(128);
        try (ChannelExec exec = session.createExecChannel(line)) {
            // a server that refuses the exec says so at once (else it may just never answer)
            CoreModuleProperties.REQUEST_EXEC_REPLY.set(exec, true);
            exec.setOut(out);
            exec.setErr(err);
            try {
                exec.open().verify(limit);
            } catch (IOException e) {
                throw new ExecRefused("no exec channel: " + e.getMessage());
            }
            exec.getInvertedIn().close(); // EOF on stdin at once: a command that reads it (internal-sftp) ends
            Set<ClientChannelEvent> events = exec.waitFor(DONE, limit);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new IOException("no answer within " + limit.toSeconds() + " s");
            }
            Integer status = exec.getExitStatus();
            if (status == null) {
                throw new ExecRefused("the exec channel closed without an exit status");
            }
            if (status != 0) {
                throw new IOException("exit status " + status + (err.size() > 0 ? ": "
                        + err.toString(StandardCharsets.UTF_8).trim() : ""));
            }
        }
        return parse(out.toString(StandardCharsets.UTF_8));
    }

    /**
     * The digest in a hash command's output: its first word (GNU tools put a {@code \} before it when the name
     * needs escaping), when that is 64 hex digits; lower-case.
     */
    static Optional<String> parse(String output) {
        String text = output == null ? "" : output.strip();
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        String word = text.substring(0, end);
        if (word.startsWith("\\")) {
            word = word.substring(1);
        }
        return HEX64.matcher(word).matches() ? Optional.of(word.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /**
     * {@code text} as one single-quoted POSIX shell word: every byte stands for itself inside single quotes, and a
     * single quote is written as {@code '\''} (end quote, escaped quote, start quote). NUL cannot be passed.
     */
    static String quote(String text) {
        if (text.indexOf('\0') >= 0) {
            throw MigrationException.userData("a path with a NUL character cannot be passed to a command: "
                    + text.replace('\0', '?'));
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private void complain(String message, Exception e) {
        if (!warned) {
            warned = true;
            LOG.warn("{}; falling back to reading written files back (further failures are logged at debug level)",
                    message);
        } else {
            LOG.debug(message, e);
        }
    }

    /** The server runs no commands at all (as opposed to one command failing). */
    private static final class ExecRefused extends IOException {
        ExecRefused(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "SftpRemoteHash[" + configured + (command == null ? "" : " -> '" + command + "', '" + bulkCommand
                + "' from " + BULK_SIZE + " bytes") + "]";
    }
}
