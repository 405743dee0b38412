package dev.caravan.connector.local;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.FileTreeClashException;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one place where the local connector turns {@link IOException}s into {@link MigrationException}s. Every
 * message names the path. The classification, by what the runner should do:
 *
 * <table>
 * <caption>IOException to ErrorKind</caption>
 * <tr><th>cause</th><th>kind</th></tr>
 * <tr><td>no such file; a parent is not a directory</td><td>NOT_FOUND</td></tr>
 * <tr><td>permission denied, operation not permitted, read-only file system</td><td>USER_CONFIG: the user must
 * fix owner, mode or mount; retrying cannot help</td></tr>
 * <tr><td>file/directory clash (exists, is a directory, not empty), name too long, symbolic link refused</td>
 * <td>USER_DATA: this object cannot be written as it is; the others can</td></tr>
 * <tr><td>no space left, quota exceeded</td><td>FATAL: every further write would fail too</td></tr>
 * <tr><td>too many open files, resource temporarily unavailable, interrupted, stale NFS handle, timeouts of
 * network mounts</td><td>TRANSIENT</td></tr>
 * <tr><td>anything else (I/O error of the device, ...)</td><td>FATAL: a local disk that fails in an unknown way
 * is not something to retry blindly; the run stops and says why</td></tr>
 * </table>
 *
 * <p>Failures reading the <em>caller's</em> stream during a put are not local-disk failures; they are
 * {@link #readingSource reported} as TRANSIENT so the runner re-reads the source.
 */
final class LocalErrors {

    private LocalErrors() {
    }

    /**
     * The clash behind a failed write of {@code path}, named where it is: a directory at the path itself, or the
     * nearest existing parent when that is a file (the write was of a temporary file beside the final one, whose
     * name says nothing to the user).
     */
    private static FileTreeClashException clash(Path path, IOException e) {
        if (Files.isDirectory(path)) {
            return new FileTreeClashException(path.toString(), "a directory is where the file goes", e);
        }
        for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return Files.isDirectory(dir) ? new FileTreeClashException(path.toString(), null, e)
                        : new FileTreeClashException(dir.toString(), "a file is where a directory goes", e);
            }
        }
        return new FileTreeClashException(path.toString(), null, e);
    }

    /** Translates a failure of a file-system operation on {@code path}. */
    static MigrationException translate(IOException e, Path path) {
        if (e instanceof NoSuchFileException || isNotADirectory(e)) {
            return new MigrationException(ErrorKind.NOT_FOUND, "no such file or directory: " + path, e);
        }
        if (e instanceof AccessDeniedException) {
            return new MigrationException(ErrorKind.USER_CONFIG, "permission denied: " + path
                    + " (check the owner and permissions of the directory)", e);
        }
        if (e instanceof FileAlreadyExistsException || e instanceof DirectoryNotEmptyException) {
            return clash(path, e);
        }
        if (e instanceof ClosedByInterruptException || e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
            return new MigrationException(ErrorKind.TRANSIENT, "interrupted while working on " + path, e);
        }
        String reason = reason(e);
        if (has(reason, "operation not permitted")) {
            return new MigrationException(ErrorKind.USER_CONFIG, "operation not permitted: " + path
                    + " (immutable or append-only file, or a file system that forbids it)", e);
        }
        if (has(reason, "read-only file system")) {
            return new MigrationException(ErrorKind.USER_CONFIG, "read-only file system: " + path, e);
        }
        if (has(reason, "is a directory") || e instanceof NotDirectoryException) {
            return clash(path, e);
        }
        if (has(reason, "file name too long")) {
            return new MigrationException(ErrorKind.USER_DATA, "name too long for the file system: " + path, e);
        }
        if (has(reason, "too many levels of symbolic links")) {
            return new MigrationException(ErrorKind.USER_DATA, "refusing to follow a symbolic link at " + path
                    + " (set followSymlinks=true to follow links)", e);
        }
        if (has(reason, "no space left") || has(reason, "quota exceeded") || has(reason, "not enough space")) {
            return new MigrationException(ErrorKind.FATAL, "no space left on the device of " + path, e);
        }
        if (has(reason, "too many open files") || has(reason, "temporarily unavailable")
                || has(reason, "interrupted system call") || has(reason, "stale file handle")
                || has(reason, "timed out") || has(reason, "host is down")) {
            return new MigrationException(ErrorKind.TRANSIENT, reason + ": " + path, e);
        }
        return new MigrationException(ErrorKind.FATAL, "I/O failure on " + path + ": " + reason, e);
    }

    /** A failure while reading the data handed to a put: the source's problem, so worth a retry. */
    static MigrationException readingSource(String key, IOException e) {
        if (e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
        }
        return new MigrationException(ErrorKind.TRANSIENT, "reading the data to write to '" + key + "' failed: "
                + e.getMessage(), e);
    }

    /** Whether the failure means the path (or a parent) does not exist. */
    static boolean isMissing(IOException e) {
        return e instanceof NoSuchFileException || isNotADirectory(e);
    }

    private static boolean isNotADirectory(IOException e) {
        return has(reason(e), "not a directory");
    }

    private static String reason(IOException e) {
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason == null) {
            reason = e.getMessage();
        }
        return reason == null ? e.getClass().getSimpleName() : reason;
    }

    private static boolean has(String reason, String fragment) {
        return reason.toLowerCase(Locale.ROOT).contains(fragment);
    }
}
