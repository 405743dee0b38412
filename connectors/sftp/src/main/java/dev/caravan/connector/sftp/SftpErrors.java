package dev.caravan.connector.sftp;

import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.FileTreeClashException;
import dev.caravan.api.error.MigrationException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * The one place where the SFTP connector turns MINA SSHD and I/O failures into {@link MigrationException}s. Every
 * message names the remote path or {@code host:port}. The classification, by what the runner should do:
 *
 * <table>
 * <caption>failure to ErrorKind</caption>
 * <tr><th>cause</th><th>kind</th></tr>
 * <tr><td>SFTP status no such file / no such path / not a directory</td><td>NOT_FOUND</td></tr>
 * <tr><td>permission denied, write protect, authentication failed, host key unknown or changed</td>
 * <td>USER_CONFIG: the user must fix credentials, keys or permissions; retrying cannot help</td></tr>
 * <tr><td>host key changed during the run (another key than the one accepted earlier)</td><td>FATAL: a security
 * stop of the whole run, nothing more is sent to the server</td></tr>
 * <tr><td>host unknown, connection refused, no route to host (at the first connection)</td><td>USER_CONFIG,
 * naming {@code host:port}</td></tr>
 * <tr><td>connection refused after the store had connected before (a server restarting)</td><td>an outage
 * ({@link EndpointOutage}): TRANSIENT, retried every 5 s apart from the retries, for up to the outage wait (25 s);
 * then the run stops unfinished</td></tr>
 * <tr><td>file exists, is a directory, directory not empty, invalid file name</td><td>USER_DATA</td></tr>
 * <tr><td>no space on file system, quota exceeded</td><td>FATAL</td></tr>
 * <tr><td>timeouts, connection lost or reset, channel closed, end of stream, interrupted</td>
 * <td>TRANSIENT</td></tr>
 * <tr><td>operation unsupported by the server</td><td>UNSUPPORTED</td></tr>
 * <tr><td>generic SFTP failure and anything else</td><td>TRANSIENT when the connection is gone, else FATAL</td></tr>
 * </table>
 *
 * <p>Failures reading the <em>caller's</em> stream during a put are {@link #readingSource reported} as TRANSIENT
 * so the runner re-reads the source.
 */
final class SftpErrors {

    private SftpErrors() {
    }

    /** Translates a failure of an SFTP operation on {@code path} of the server at {@code where}. */
    static MigrationException translate(IOException e, String where, String path) {
        String at = path + " on " + where;
        if (e instanceof SftpException sftp) {
            return status(sftp, at);
        }
        if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
            Thread.currentThread().interrupt();
            return new MigrationException(ErrorKind.TRANSIENT, "interrupted while working on " + at, e);
        }
        return connectionLost(e, at);
    }

    private static MigrationException status(SftpException e, String at) {
        String reason = e.getMessage() == null ? "status " + e.getStatus() : e.getMessage();
        return switch (e.getStatus()) {
            case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH,
                    SftpConstants.SSH_FX_NOT_A_DIRECTORY ->
                new MigrationException(ErrorKind.NOT_FOUND, "no such file or directory: " + at, e);
            case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT ->
                new MigrationException(ErrorKind.USER_CONFIG, "permission denied: " + at
                        + " (check the SFTP user's rights on the directory)", e);
            case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED ->
                new MigrationException(ErrorKind.FATAL, "no space left (or quota exceeded) for " + at, e);
            case SftpConstants.SSH_FX_FILE_ALREADY_EXISTS, SftpConstants.SSH_FX_FILE_IS_A_DIRECTORY,
                    SftpConstants.SSH_FX_DIR_NOT_EMPTY ->
                new FileTreeClashException(at, reason, e);
            case SftpConstants.SSH_FX_INVALID_FILENAME ->
                new MigrationException(ErrorKind.USER_DATA, "the server refuses the file name " + at, e);
            case SftpConstants.SSH_FX_OP_UNSUPPORTED ->
                new MigrationException(ErrorKind.UNSUPPORTED, "the SFTP server does not support this for " + at
                        + ": " + reason, e);
            case SftpConstants.SSH_FX_NO_CONNECTION, SftpConstants.SSH_FX_CONNECTION_LOST ->
                new MigrationException(ErrorKind.TRANSIENT, "connection lost while working on " + at, e);
            default -> classifyFailure(e, reason, at);
        };
    }

    /** SSH_FX_FAILURE says nothing; OpenSSH's message sometimes does ("Failure" for ENOSPC, EISDIR, ...). */
    private static MigrationException classifyFailure(SftpException e, String reason, String at) {
        if (has(reason, "no space") || has(reason, "quota")) {
            return new MigrationException(ErrorKind.FATAL, "no space left (or quota exceeded) for " + at, e);
        }
        if (has(reason, "is a directory") || has(reason, "not empty") || has(reason, "exists")) {
            return new FileTreeClashException(at, reason, e);
        }
        return new MigrationException(ErrorKind.FATAL, "SFTP failure on " + at + ": " + reason
                + " (status " + e.getStatus() + ")", e);
    }

    /**
     * Translates a failure to connect or log in to {@code where}.
     *
     * @param hostKeyProblem what the host-key check refused, or {@code null} when it accepted the key
     * @param keyChanged whether the refused key replaced one accepted earlier in the run (then it is FATAL)
     * @param connectedBefore whether this store had a working connection earlier (then "refused" is a restart)
     */
    static MigrationException connecting(Throwable e, String where, String hostKeyProblem, boolean keyChanged,
            boolean connectedBefore) {
        if (hostKeyProblem != null) {
            return new MigrationException(keyChanged ? ErrorKind.FATAL : ErrorKind.USER_CONFIG, hostKeyProblem, e);
        }
        Throwable root = rootCause(e);
        String reason = message(e) + (root != e ? " (" + message(root) + ")" : "");
        if (root instanceof UnknownHostException || root instanceof UnresolvedAddressException) {
            return new MigrationException(ErrorKind.USER_CONFIG, "unknown host in " + where
                    + ": check the host name of the sftp location", e);
        }
        if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
            MigrationException unreachable = new MigrationException(ErrorKind.USER_CONFIG, "cannot reach an SSH server"
                    + " at " + where + " (" + reason + "): check host, port and firewall", e);
            return connectedBefore ? EndpointOutage.of("sftp://" + where).refusedAfterWorking(unreachable,
                    "a new connection") : unreachable;
        }
        if (isAuthFailure(reason)) {
            return new MigrationException(ErrorKind.USER_CONFIG, "authentication failed at " + where
                    + ": the server refused the password or key of the user (options password, privateKey, "
                    + "privateKeyPassphrase)", e);
        }
        if (root instanceof TimeoutException || root instanceof SocketTimeoutException || has(reason, "timeout")
                || has(reason, "timed out")) {
            return new MigrationException(ErrorKind.TRANSIENT, "timed out connecting to " + where
                    + " (option connectTimeout): " + reason, e);
        }
        if (root instanceof InterruptedException || root instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
            return new MigrationException(ErrorKind.TRANSIENT, "interrupted while connecting to " + where, e);
        }
        return new MigrationException(ErrorKind.TRANSIENT, "SSH connection to " + where + " failed: " + reason, e);
    }

    /** A failure while reading the data handed to a put: the source's problem, so worth a retry. */
    static MigrationException readingSource(String key, IOException e) {
        if (e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
        }
        return new MigrationException(ErrorKind.TRANSIENT, "reading the data to write to '" + key + "' failed: "
                + e.getMessage(), e);
    }

    /** Whether the failure means that the path (or a parent) does not exist. */
    static boolean isMissing(IOException e) {
        return e instanceof SftpException s && (s.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE
                || s.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH
                || s.getStatus() == SftpConstants.SSH_FX_NOT_A_DIRECTORY);
    }

    /** Whether {@code e} (or a cause) is the server's "permission denied" about one path. */
    static boolean isPermissionDenied(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SftpException s && s.getStatus() == SftpConstants.SSH_FX_PERMISSION_DENIED) {
                return true;
            }
        }
        return false;
    }

    /** Whether the failure is the server's answer about one file (the channel itself is fine). */
    static boolean isStatus(IOException e) {
        return e instanceof SftpException;
    }

    private static MigrationException connectionLost(IOException e, String at) {
        String reason = message(e);
        if (e instanceof EOFException || e instanceof SshException || e instanceof SocketTimeoutException
                || has(reason, "reset") || has(reason, "closed") || has(reason, "broken pipe")
                || has(reason, "timeout") || has(reason, "timed out") || has(reason, "connection")) {
            return new MigrationException(ErrorKind.TRANSIENT, "connection problem while working on " + at + ": "
                    + reason, e);
        }
        return new MigrationException(ErrorKind.TRANSIENT, "I/O failure while working on " + at + ": " + reason, e);
    }

    private static boolean isAuthFailure(String reason) {
        return has(reason, "no more authentication methods") || has(reason, "authentication")
                || has(reason, "auth fail") || has(reason, "permission denied");
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static boolean has(String reason, String fragment) {
        return reason != null && reason.toLowerCase(Locale.ROOT).contains(fragment);
    }
}
