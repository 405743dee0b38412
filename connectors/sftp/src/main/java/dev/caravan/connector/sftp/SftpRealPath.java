package dev.caravan.connector.sftp;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * The absolute canonical path of a directory on an SFTP server (SSH_FXP_REALPATH), also for one that does not exist
 * yet: OpenSSH's realpath fails for a missing path (MINA's does not), so the nearest ancestor the server resolves is
 * made canonical and the rest appended as written, its {@code .} and {@code ..} segments applied textually (a
 * missing directory cannot be a symbolic link). Stateless.
 */
final class SftpRealPath {

    private SftpRealPath() {
    }

    /**
     * The absolute canonical form of {@code path}, absolute or relative to the login directory ({@code .} for that
     * directory itself). Walks up while the server answers with a status (missing, not a directory, permission
     * denied); fails with the server's answer when even {@code /} or {@code .} does not resolve, and with the I/O
     * failure when the connection breaks.
     */
    static String of(SftpClient sftp, String path) throws IOException {
        String existing = path.isEmpty() ? "." : path;
        Deque<String> missing = new ArrayDeque<>();
        while (true) {
            try {
                return appended(sftp.canonicalPath(existing), missing);
            } catch (IOException e) {
                int slash = existing.lastIndexOf('/');
                if (!SftpErrors.isStatus(e) || existing.equals("/") || existing.equals(".")) {
                    throw e;
                }
                missing.push(existing.substring(slash + 1));
                existing = slash < 0 ? "." : slash == 0 ? "/" : existing.substring(0, slash);
            }
        }
    }

    /** {@code base} (absolute) with {@code segments} appended: empty and {@code .} ones skipped, {@code ..} up. */
    static String appended(String base, Iterable<String> segments) {
        List<String> parts = new ArrayList<>();
        for (String part : base.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        for (String segment : segments) {
            for (String part : segment.split("/")) {
                if (part.equals("..")) {
                    if (!parts.isEmpty()) {
                        parts.remove(parts.size() - 1);
                    }
                } else if (!part.isEmpty() && !part.equals(".")) {
                    parts.add(part);
                }
            }
        }
        return "/" + String.join("/", parts);
    }
}
