package dev.caravan.application;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files and directories of a run that only their owner may read: rollback snapshots, backups of target files, hook
 * output (each may hold the target's passwords). Directories {@code rwx------}, files {@code rw-------}, on file
 * systems with POSIX permissions; elsewhere the file system's defaults.
 */
final class OwnerOnly {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Whether the file system of {@code path} has POSIX permissions. */
    static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The attributes that create a file readable by its owner only (none where there are no POSIX permissions). */
    static FileAttribute<?>[] file(Path path) {
        return posix(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
    }

    /**
     * Creates {@code dir} (and its missing parents) and makes it enterable by its owner only, also when it existed;
     * returns it.
     */
    static Path directory(Path dir) throws IOException {
        if (!posix(dir)) {
            return Files.createDirectories(dir);
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        Files.setPosixFilePermissions(dir, DIRECTORY);
        return dir;
    }

    /** Makes every directory under {@code dir} ({@code dir} included) enterable by its owner only. */
    static void directories(Path dir) throws IOException {
        if (!posix(dir) || !Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path d : walk.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(d, DIRECTORY);
            }
        }
    }
}
