package dev.caravan.connector.local;

import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens files below a local store's root for writing: makes their parents (the root itself only with
 * {@code createRoot}), creates a new file where it can (O_EXCL) and never writes through a symbolic link unless
 * links are followed. Thread-safe (the directories it made are remembered in {@link LocalPaths}).
 */
final class LocalFileCreator {
    /** How often a write retries when a concurrent delete removed the (empty) directory it is writing into. */
    static final int RACE_ATTEMPTS = 10;

    private final Path root;
    private final LocalStoreSettings settings;
    private final LocalPaths paths;

    LocalFileCreator(Path root, LocalStoreSettings settings, LocalPaths paths) {
        this.root = root;
        this.settings = settings;
        this.paths = paths;
    }

    /** A file opened for writing, and whether the call that opened it created it. */
    record Created(FileChannel channel, boolean fresh) {
    }

    /**
     * Creates parents and opens the file for writing (a new file if it can, else the existing one truncated),
     * retrying when a concurrent delete removed a parent.
     */
    Created createFile(Path file) {
        for (int attempt = 1; ; attempt++) {
            try {
                createParents(file);
                try {
                    return new Created(FileChannel.open(file, createOptions()), true);
                } catch (FileAlreadyExistsException e) {
                    return new Created(FileChannel.open(file, writeOptions()), false);
                }
            } catch (IOException e) {
                if (!LocalFiles.lostRaceWithDelete(e) || attempt == RACE_ATTEMPTS) {
                    throw LocalErrors.translate(e, file);
                }
                paths.forgetDirectory(file.getParent());
            }
        }
    }

    /** Makes the parents of {@code file} (the root itself only with createRoot), remembering those made. */
    void createParents(Path file) throws IOException {
        Path parent = file.getParent();
        if (paths.isKnownDirectory(parent)) {
            return;
        }
        if (settings.createRoot() && !Files.isDirectory(root)) {
            Files.createDirectories(root);
        }
        if (!Files.isDirectory(root)) {
            throw MigrationException.userConfig("target directory " + root
                    + " does not exist (create it, or set the option createRoot=true)");
        }
        paths.rememberRoot(); // not looked at again for every file, until a write finds a parent missing
        if (!parent.equals(root)) {
            Files.createDirectories(parent);
            paths.rememberDirectory(parent);
        }
    }

    private OpenOption[] writeOptions() {
        return settings.followSymlinks()
                ? new OpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING}
                : new OpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS};
    }

    /** A new file only (O_EXCL, which never follows a link either). */
    private static OpenOption[] createOptions() {
        return new OpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW};
    }
}
