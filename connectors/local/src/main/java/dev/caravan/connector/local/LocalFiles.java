package dev.caravan.connector.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/** File-system chores of the local store that need no state: moving, tidying, syncing, probing the device. */
final class LocalFiles {

    private LocalFiles() {
    }

    /** Renames atomically ({@code rename(2)}, replacing the target), or replaces non-atomically where needed. */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes {@code dir} and its parents while they are empty, stopping below the root; reports each removal. */
    static void removeEmptyParents(Path root, Path dir, java.util.function.Consumer<Path> removed) {
        Path current = dir;
        while (current != null && current.startsWith(root) && !current.equals(root)) {
            if (!LocalPaths.isRealDirectory(current)) {
                return; // a link or a file: never removed
            }
            try {
                removed.accept(current); // forget first: a concurrent put then re-creates it
                Files.delete(current);
            } catch (DirectoryNotEmptyException e) {
                return;
            } catch (IOException e) {
                if (!(e instanceof NoSuchFileException)) {
                    return; // tidying up is best effort
                }
            }
            current = current.getParent();
        }
    }

    /** Forces a directory's entries to disk, where the platform allows it. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can sync a directory; the file itself was synced on put
        }
    }

    /** Deletes a file, ignoring failures (used while another failure is being reported). */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the original failure is the one to report
        }
    }

    /** Closes a channel, ignoring failures. */
    static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }

    /** The path itself or its nearest existing ancestor. */
    static Path nearestExisting(Path path) {
        Path current = path;
        while (current.getParent() != null && !Files.exists(current)) {
            current = current.getParent();
        }
        return current;
    }

    /**
     * The precision of modification times on the root's file system, from its type: FAT keeps 2 s, HFS+ and
     * ext2/ext3 keep 1 s, the rest (ext4, xfs, btrfs, zfs, tmpfs, APFS, NTFS) keep at least 1 ms.
     */
    static Duration modTimePrecision(Path root) {
        String type;
        try {
            type = Files.getFileStore(nearestExisting(root)).type().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return Duration.ofSeconds(2);
        }
        if (type.contains("fat") || type.equals("msdos")) {
            return Duration.ofSeconds(2);
        }
        if (type.equals("hfs") || type.equals("ext2") || type.equals("ext3")) {
            return Duration.ofSeconds(1);
        }
        return Duration.ofMillis(1);
    }

    /**
     * Whether a failure came from a concurrent delete removing an empty parent directory while this call created
     * or used it: the parent is missing, or {@link Files#createDirectories} saw it exist and then vanish.
     */
    static boolean lostRaceWithDelete(IOException e) {
        if (e instanceof NoSuchFileException) {
            return true;
        }
        if (e instanceof FileAlreadyExistsException exists && exists.getFile() != null) {
            Path path = Path.of(exists.getFile());
            return !Files.exists(path) || Files.isDirectory(path);
        }
        return false;
    }

    /** Writes all of {@code data} at the channel's position through a buffer of {@code bufferSize} bytes. */
    static void copy(String key, InputStream data, FileChannel channel, int bufferSize) throws IOException {
        byte[] buffer = new byte[bufferSize];
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        while (true) {
            int n;
            try {
                n = data.read(buffer);
            } catch (IOException e) {
                throw LocalErrors.readingSource(key, e);
            }
            if (n < 0) {
                return;
            }
            wrapped.clear().limit(n);
            while (wrapped.hasRemaining()) {
                channel.write(wrapped);
            }
        }
    }
}
