package dev.caravan.connector.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes a directory unwritable for the duration of a test and restores it on close. Permissions are enough for
 * an ordinary user; root ignores them (CI runs as root), so then the directory is made immutable with
 * {@code chattr +i}, which root must obey.
 */
final class Unwritable implements AutoCloseable {
    private final Path dir;
    private final Set<PosixFilePermission> before;
    private final boolean immutable;

    private Unwritable(Path dir, Set<PosixFilePermission> before, boolean immutable) {
        this.dir = dir;
        this.before = before;
        this.immutable = immutable;
    }

    static Unwritable make(Path dir) throws IOException {
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!canWrite(dir)) {
            return new Unwritable(dir, before, false);
        }
        if (chattr("+i", dir) && !canWrite(dir)) {
            return new Unwritable(dir, before, true);
        }
        chattr("-i", dir);
        Files.setPosixFilePermissions(dir, before);
        Assumptions.abort("cannot make " + dir + " unwritable: running as root on a file system without chattr");
        return null;
    }

    private static boolean canWrite(Path dir) {
        try {
            Files.delete(Files.createFile(dir.resolve(".write-check")));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean chattr(String flag, Path dir) {
        try {
            Process process = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        if (immutable) {
            chattr("-i", dir);
        }
        Files.setPosixFilePermissions(dir, before);
    }
}
