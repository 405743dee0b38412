package dev.caravan.connector.local;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.LocalDisk;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps keys to paths under one root and file attributes to {@link ObjectInfo}s. A key is accepted only when it
 * passes {@link ObjectKeys#requireSafe}, its normalized path stays under the root and, unless symbolic links are
 * followed, no component below the root (the object itself included) is a symbolic link. Immutable and
 * thread-safe; the link check is made per call, so a link created later is seen (a race with a concurrent
 * attacker inside the root is not defended against).
 */
final class LocalPaths {
    /** The longest file name, in bytes, of the file systems Caravan runs on. */
    static final int MAX_NAME_BYTES = 255;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};

    private final Path root;
    private final boolean followSymlinks;
    private final boolean posixModes;
    /**
     * Directories below the root known to exist and not to be links (checked or created by this store), so the
     * per-key link check and parent creation cost no system calls for directories already seen. Entries are
     * dropped when this store removes a directory or an operation finds one gone.
     */
    private final Set<Path> knownDirectories = ConcurrentHashMap.newKeySet();

    LocalPaths(Path root, boolean followSymlinks, boolean posixModes) {
        this.root = root;
        this.followSymlinks = followSymlinks;
        this.posixModes = posixModes;
    }

    Path root() {
        return root;
    }

    boolean followSymlinks() {
        return followSymlinks;
    }

    /** Link options for reading attributes or opening files: no following unless {@code followSymlinks}. */
    LinkOption[] linkOptions() {
        return followSymlinks ? FOLLOW : NOFOLLOW;
    }

    /** The path of a key, after every safety check; fails with {@code USER_DATA} for a refused key. */
    Path resolve(String key) {
        return resolve(key, true);
    }

    /**
     * The path of a key after every check but the link check of the object itself, for callers that make that
     * check with their own {@code lstat} ({@link #statChecked}) or open it with {@code O_NOFOLLOW}: one system call
     * per object instead of two.
     */
    Path locate(String key) {
        return resolve(key, false);
    }

    /** The real path of {@code path} (absolute): see {@link LocalDisk#realPath}. */
    static Path realPath(Path path) {
        return LocalDisk.realPath(path);
    }

    /**
     * Why no file can have this key, or {@code null}: the rules of {@link ObjectKeys#problem}, a name of more than
     * {@value #MAX_NAME_BYTES} bytes (the limit of ext4, XFS, btrfs and tmpfs) and, where it separates directories,
     * a backslash.
     */
    static String problem(String key) {
        String problem = ObjectKeys.problem(key);
        if (problem != null) {
            return problem;
        }
        if (File.separatorChar == '\\' && key.indexOf('\\') >= 0) {
            return "a backslash separates directories here";
        }
        // every key is checked on every file operation: no split, and a UTF-16 unit takes at most 3 bytes in UTF-8,
        // so only names longer than 85 characters are counted
        for (int start = 0; start < key.length(); ) {
            int end = key.indexOf('/', start);
            end = end < 0 ? key.length() : end;
            if ((end - start) * 3 > MAX_NAME_BYTES) {
                int bytes = key.substring(start, end).getBytes(StandardCharsets.UTF_8).length;
                if (bytes > MAX_NAME_BYTES) {
                    return "a file or directory name in it has " + bytes + " bytes in UTF-8, file systems allow "
                            + MAX_NAME_BYTES;
                }
            }
            start = end + 1;
        }
        return null;
    }

    private Path resolve(String key, boolean checkObject) {
        ObjectKeys.require(key, problem(key));
        Path path;
        try {
            path = root.resolve(key).normalize();
        } catch (InvalidPathException e) {
            throw MigrationException.userData("refusing key '" + key + "': it is not a valid file name here ("
                    + e.getReason() + "; file names are encoded as " + System.getProperty("sun.jnu.encoding")
                    + ", run with a UTF-8 locale such as LANG=C.UTF-8)");
        }
        if (!path.startsWith(root) || path.equals(root)) {
            throw MigrationException.userData("refusing key '" + key + "': it resolves to " + path
                    + ", outside the store root " + root);
        }
        if (!followSymlinks) {
            refuseSymlinks(key, path, checkObject);
        }
        return path;
    }

    private void refuseSymlinks(String key, Path path, boolean checkObject) {
        // a known parent was checked (or made) after its own parents: only the object is left to look at
        Path parent = path.getParent();
        if (parent != null && knownDirectories.contains(parent)) {
            if (checkObject) {
                refuseSymlink(key, path, path);
            }
            return;
        }
        Path current = root;
        for (Path name : root.relativize(path)) {
            current = current.resolve(name);
            if (knownDirectories.contains(current) || (!checkObject && current.equals(path))) {
                continue;
            }
            if (!refuseSymlink(key, current, path)) {
                return;
            }
        }
    }

    /** Refuses {@code current} if it is a link; whether it exists (what is below a missing one cannot be a link). */
    private boolean refuseSymlink(String key, Path current, Path path) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            if (LocalErrors.isMissing(e)) {
                return false;
            }
            throw LocalErrors.translate(e, current);
        }
        if (attributes.isSymbolicLink()) {
            throw linkRefused(key, current);
        }
        if (attributes.isDirectory() && !current.equals(path)) {
            knownDirectories.add(current);
        }
        return true;
    }

    private static MigrationException linkRefused(String key, Path link) {
        return MigrationException.userData("refusing key '" + key + "': " + link
                + " is a symbolic link and followSymlinks is off (links are never followed out of the root)");
    }

    /** Whether {@code dir} is known to exist as a real directory below the root (or is the root, see below). */
    boolean isKnownDirectory(Path dir) {
        return knownDirectories.contains(dir);
    }

    /** Records that {@code dir} and its ancestors below the root exist as real directories (this store made them). */
    void rememberDirectory(Path dir) {
        for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
            if (!knownDirectories.add(d)) {
                return;
            }
        }
    }

    /** Records that the root exists as a directory (a write checked it); {@link #forgetDirectory} undoes it. */
    void rememberRoot() {
        knownDirectories.add(root);
    }

    /** Forgets a directory that was removed or found missing. */
    void forgetDirectory(Path dir) {
        knownDirectories.remove(dir);
    }

    /** The object at {@code path}, or empty when nothing (or no regular file) is there. */
    Optional<ObjectInfo> stat(String key, Path path) {
        return stat(key, path, false);
    }

    /**
     * {@link #stat} of a path from {@link #locate}, making the object's own link check with the same {@code lstat}:
     * a symbolic link is refused ({@code USER_DATA}) unless links are followed.
     */
    Optional<ObjectInfo> statChecked(String key, Path path) {
        return stat(key, path, !followSymlinks);
    }

    private Optional<ObjectInfo> stat(String key, Path path, boolean refuseLink) {
        try {
            BasicFileAttributes attributes = attributes(path, linkOptions());
            if (refuseLink && attributes.isSymbolicLink()) {
                throw linkRefused(key, path);
            }
            return attributes.isRegularFile() ? Optional.of(info(key, attributes)) : Optional.empty();
        } catch (IOException e) {
            if (LocalErrors.isMissing(e)) {
                refuseUndecodable(key, path, "read");
                return Optional.empty();
            }
            throw LocalErrors.translate(e, path);
        }
    }

    /**
     * Refuses (USER_DATA) a key found missing at {@code path} because a name on its way holds bytes that are not
     * UTF-8: listed, such names read as U+FFFD, and the key then names another, missing file. Nothing for other keys.
     *
     * @param action what cannot be done, e.g. {@code read} or {@code deleted}
     */
    void refuseUndecodable(String key, Path path, String action) {
        Path undecodable = key.indexOf('\uFFFD') < 0 ? null : undecodable(path);
        if (undecodable != null) {
            throw MigrationException.userData("'" + key + "' cannot be " + action + ": the name " + undecodable
                    + " holds bytes that are not UTF-8, which were listed as \uFFFD, and no key can name such a file;"
                    + " rename it (e.g. convmv -f latin1 -t utf-8 --notest) and run again");
        }
    }

    /**
     * The file or folder on {@code path}'s way from the root whose name, listed, decodes to the name in {@code path}
     * without being it (its bytes are not UTF-8: Java lists them as U+FFFD, and that name opens nothing), or
     * {@code null}. Lists the folder of the first such name that does not exist.
     */
    private Path undecodable(Path path) {
        for (Path p = path; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            String name = p.getFileName().toString();
            if (name.indexOf('\uFFFD') < 0 || Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(p.getParent())) {
                for (Path entry : entries) {
                    if (entry.getFileName().toString().equals(name)) {
                        return entry;
                    }
                }
            } catch (IOException | DirectoryIteratorException e) {
                // the folder is missing or unreadable as well: the name is not the reason
            }
        }
        return null;
    }

    /** Whether {@code path} is a directory that is not a symbolic link. */
    static boolean isRealDirectory(Path path) {
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** A path's attributes as {@link #stat} reads them: with the POSIX mode where this store keeps modes. */
    BasicFileAttributes attributes(Path path, LinkOption... options) throws IOException {
        return posixModes ? Files.readAttributes(path, PosixFileAttributes.class, options)
                : Files.readAttributes(path, BasicFileAttributes.class, options);
    }

    /** The object of a regular file with these attributes (from {@link #attributes}). */
    ObjectInfo info(String key, BasicFileAttributes attributes) {
        int mode = attributes instanceof PosixFileAttributes posix ? toMode(posix.permissions()) : -1;
        return new ObjectInfo(key, attributes.size(), attributes.lastModifiedTime().toInstant(), Map.of(), null,
                null, Map.of(), mode);
    }

    /** POSIX permissions as the usual octal bits ({@code 0644}). */
    static int toMode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }

    /** The permission bits {@code 0777} of {@code mode} as a set; higher bits (setuid, sticky) are dropped. */
    static Set<PosixFilePermission> fromMode(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission permission : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - permission.ordinal()))) != 0) {
                permissions.add(permission);
            }
        }
        return permissions;
    }
}
