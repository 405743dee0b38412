package dev.caravan.connector.sftp;

import dev.caravan.api.error.FileTreeClashException;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectKeys;
import java.io.IOException;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * Directory chores of the SFTP store: creating the parents of a file on demand and removing directories that a
 * delete or rename left empty (never the root). Directories are not objects, so both are invisible to users;
 * they race safely with concurrent writers, which re-create a parent that vanished (see
 * {@link SftpObjectStore}). Stateless apart from the location; thread-safe.
 */
final class SftpDirectories {
    /**
     * How often a directory chore tries again when a concurrent delete removed a directory it had just seen (a
     * delete tidies up the directories it leaves empty while another thread writes into them).
     */
    static final int RACE_ATTEMPTS = 10;

    private final SftpLocation location;
    private final boolean createRoot;
    /** Directories below the root found to be no symbolic link, nor below one ({@link #requireNoLinks}). */
    private final java.util.Set<String> linkFree = java.util.concurrent.ConcurrentHashMap.newKeySet();

    SftpDirectories(SftpLocation location, boolean createRoot) {
        this.location = location;
        this.createRoot = createRoot;
    }

    /** The remote parent directory of a key's path. */
    String parentOf(String key) {
        String parentKey = ObjectKeys.parent(key);
        return parentKey.isEmpty() ? SftpLister.rootDir(location) : location.remote(parentKey);
    }

    /**
     * Refuses to write {@code key} through a symbolic link below the root: the server follows it, and the file
     * landed out of the root (a link {@code sub -> /elsewhere} in the target took {@code sub/file.txt} there, and the
     * next listing, which does not follow links, planned it again). The local store refuses the same. Each directory
     * is looked at (LSTAT) once per store; the root itself may be a link (the user named it).
     */
    void requireNoLinks(SftpClient sftp, String key) throws IOException {
        java.util.List<String> walked = new java.util.ArrayList<>();
        for (String dir = ObjectKeys.parent(key); !dir.isEmpty() && !linkFree.contains(dir);
                dir = ObjectKeys.parent(dir)) {
            SftpClient.Attributes there;
            try {
                there = sftp.lstat(location.remote(dir));
            } catch (IOException e) {
                if (!SftpErrors.isMissing(e)) {
                    throw e;
                }
                continue; // made by this store as a directory; its parents are looked at still
            }
            if (there.isSymbolicLink()) {
                throw MigrationException.userData(location.remote(dir) + " is a symbolic link: links are never"
                        + " followed out of the root, so '" + key + "' is not written through it");
            }
            walked.add(dir);
        }
        linkFree.addAll(walked);
    }

    /**
     * Creates the parent directories of {@code key} below the root (and the root itself with {@code createRoot}),
     * deepest first: one mkdir when only the immediate parent is missing. Directories that already exist, or that
     * a concurrent call creates, are fine.
     */
    void createParents(SftpClient sftp, String key) throws IOException {
        ensureDirectory(sftp, ObjectKeys.parent(key));
    }

    private void ensureDirectory(SftpClient sftp, String dirKey) throws IOException {
        if (dirKey.isEmpty()) {
            ensureRoot(sftp);
            return;
        }
        String remote = location.remote(dirKey);
        for (int attempt = 1; ; attempt++) {
            try {
                mkdir(sftp, remote);
                return;
            } catch (IOException e) {
                if (!SftpErrors.isMissing(e) || attempt == RACE_ATTEMPTS) {
                    throw e;
                }
                // its parent is missing, or was removed meanwhile: make it, then this one
                ensureDirectory(sftp, ObjectKeys.parent(dirKey));
            }
        }
    }

    private void ensureRoot(SftpClient sftp) throws IOException {
        if (isDirectory(sftp, SftpLister.rootDir(location))) {
            return;
        }
        if (!createRoot) {
            throw MigrationException.userConfig("target directory " + location.uri() + " does not exist "
                    + "(create it, or set the option createRoot=true)");
        }
        createPath(sftp, location.path());
    }

    /** Removes the parent directories of {@code key} while they are empty, stopping below the root. Best effort. */
    void removeEmptyParents(SftpClient sftp, String key) {
        String parentKey = ObjectKeys.parent(key);
        while (!parentKey.isEmpty()) {
            try {
                sftp.rmdir(location.remote(parentKey));
            } catch (IOException e) {
                return; // not empty (the usual case), gone, or not ours to remove
            }
            parentKey = ObjectKeys.parent(parentKey);
        }
    }

    /** Creates every missing directory of an absolute or login-relative path. */
    private void createPath(SftpClient sftp, String path) throws IOException {
        if (path.isEmpty() || path.equals("/")) {
            return;
        }
        StringBuilder current = new StringBuilder(path.startsWith("/") ? "/" : "");
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (current.length() > 0 && current.charAt(current.length() - 1) != '/') {
                current.append('/');
            }
            current.append(segment);
            mkdir(sftp, current.toString());
        }
    }

    /**
     * One directory: made, or there already (a concurrent call made it). When the mkdir fails because something was
     * there and it is gone by the time it is looked at (a concurrent delete removed the directory, now empty), the
     * mkdir is tried again. A missing parent fails as the server says (the caller makes the parent).
     */
    private static void mkdir(SftpClient sftp, String dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                sftp.mkdir(dir);
                return;
            } catch (IOException e) {
                if (!SftpErrors.isStatus(e) || SftpErrors.isMissing(e)) {
                    throw e;
                }
                SftpClient.Attributes there = statOrNull(sftp, dir);
                if (there != null && there.isDirectory()) {
                    return;
                }
                if (there != null || attempt == RACE_ATTEMPTS) {
                    throw clashOr(sftp, dir, e);
                }
            }
        }
    }

    /** A USER_DATA clash when a file is where a directory should be; else the failure itself (permissions...). */
    private static IOException clashOr(SftpClient sftp, String dir, IOException e) {
        try {
            if (SftpErrors.isStatus(e) && !sftp.lstat(dir).isDirectory()) {
                throw new FileTreeClashException(dir, null, e);
            }
        } catch (IOException ignored) {
            // nothing there: report the original failure
        }
        return e;
    }

    /**
     * The clash that explains a failed write of {@code key}, or {@code null}: a directory where the file goes, or a
     * file where one of its directories goes. Servers say only "Failure" for these (EISDIR, ENOTDIR), so it is looked
     * at after the failure, never before a write.
     */
    FileTreeClashException clashFor(SftpClient sftp, String key, IOException failure) {
        try {
            String remote = location.remote(key);
            if (isDirectory(sftp, remote)) {
                return new FileTreeClashException(remote, "a directory is where the file goes", failure);
            }
            for (String dir = ObjectKeys.parent(key); !dir.isEmpty(); dir = ObjectKeys.parent(dir)) {
                SftpClient.Attributes there = statOrNull(sftp, location.remote(dir));
                if (there != null && !there.isDirectory()) {
                    return new FileTreeClashException(location.remote(dir), "a file is where a directory goes",
                            failure);
                }
            }
        } catch (IOException e) {
            failure.addSuppressed(e); // cannot tell: the failure stands as it is
        }
        return null;
    }

    static boolean isDirectory(SftpClient sftp, String dir) throws IOException {
        SftpClient.Attributes there = statOrNull(sftp, dir);
        return there != null && there.isDirectory();
    }

    /** What is at {@code path} (links followed); {@code null} when nothing is. */
    private static SftpClient.Attributes statOrNull(SftpClient sftp, String path) throws IOException {
        try {
            return sftp.stat(path);
        } catch (IOException e) {
            if (SftpErrors.isMissing(e)) {
                return null;
            }
            throw e;
        }
    }
}
