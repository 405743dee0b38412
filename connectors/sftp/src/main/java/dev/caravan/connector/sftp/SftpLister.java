package dev.caravan.connector.sftp;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.KeyNotes;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * A lazy, depth-first walk of a remote directory tree that yields regular files in {@link ObjectKeys#ORDER} of
 * their keys: each directory's entries are sorted as {@code name} for files and {@code name + "/"} for
 * directories, which makes the depth-first order equal to the order of the full keys. A directory is read
 * (one SSH_FXP_READDIR series, on a channel borrowed just for that) when the walk reaches it, so memory is the
 * entries of one directory per level of the current path and no channel is held between directories. Sizes,
 * times and modes come from the directory listing itself (no stat per file). Symbolic links, special files and names
 * no key can hold are skipped, each noted in the store's {@link KeyNotes}. Files and directories whose names are not
 * UTF-8 (the client reads such bytes as U+FFFD) are objects that fail when used ({@link SftpUndecodableNames}), never
 * left out unseen. A directory that vanishes during the walk
 * is skipped; any other failure ends the walk with a
 * {@link dev.caravan.api.error.MigrationException}. Not thread-safe: one iterator per stream.
 */
final class SftpLister implements Iterator<ObjectInfo> {

    /** One entry of a directory: its sort name and, for a file, its info. */
    private record Entry(String sortName, ObjectInfo info) {
    }

    private static final Comparator<Entry> BY_NAME = Comparator.comparing(Entry::sortName, ObjectKeys.ORDER);

    /** Reads one directory: the entries of {@code remoteDir}, or {@code null} when it does not exist. */
    @FunctionalInterface
    interface DirectoryReader {
        List<SftpClient.DirEntry> read(String remoteDir);
    }

    /** One directory on the current path. {@code entries} is read when the frame is first visited. */
    private static final class Frame {
        final String remoteDir;
        final String keyPrefix;
        final String namePrefix;
        Entry[] entries;
        int next;

        Frame(String remoteDir, String keyPrefix, String namePrefix) {
            this.remoteDir = remoteDir;
            this.keyPrefix = keyPrefix;
            this.namePrefix = namePrefix;
        }
    }

    private final SftpLocation location;
    private final DirectoryReader reader;
    private final KeyNotes skipped;
    private final KeyNotes unlisted;
    private final Frame start;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private ObjectInfo next;

    private SftpLister(SftpLocation location, DirectoryReader reader, KeyNotes skipped, KeyNotes unlisted,
            Frame start) {
        this.location = location;
        this.reader = reader;
        this.skipped = skipped;
        this.unlisted = unlisted;
        this.start = start;
        stack.push(start);
    }

    /**
     * A lazy stream of the objects whose keys start with {@code prefix}; the caller checked that the root exists. A
     * directory below it that the server does not let us read is noted in {@code unlisted} and walked as empty.
     */
    static Stream<ObjectInfo> stream(SftpLocation location, DirectoryReader reader, KeyNotes skipped,
            KeyNotes unlisted, String prefix) {
        int slash = prefix.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : prefix.substring(0, slash);
        if (!dirPart.isEmpty()) {
            ObjectKeys.requireSafe(dirPart);
        }
        String remoteDir = dirPart.isEmpty() ? rootDir(location) : location.remote(dirPart);
        Frame start = new Frame(remoteDir, dirPart.isEmpty() ? "" : dirPart + "/", prefix.substring(slash + 1));
        SftpLister lister = new SftpLister(location, reader, skipped, unlisted, start);
        Spliterator<ObjectInfo> spliterator = Spliterators.spliteratorUnknownSize(lister,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT);
        return StreamSupport.stream(spliterator, false).onClose(lister.stack::clear);
    }

    /** All entries of the directory {@code remoteDir} (READDIR until the end), or {@code null} when it does not exist. */
    static List<SftpClient.DirEntry> readAll(SftpClient sftp, String remoteDir) throws IOException {
        List<SftpClient.DirEntry> entries = new ArrayList<>();
        try (SftpClient.CloseableHandle handle = sftp.openDir(remoteDir)) {
            for (List<SftpClient.DirEntry> batch = sftp.readDir(handle); batch != null; batch = sftp.readDir(handle)) {
                entries.addAll(batch);
            }
        } catch (IOException e) {
            if (SftpErrors.isMissing(e)) {
                return null;
            }
            throw e;
        }
        return entries;
    }

    /** The remote path of the root directory ({@code .} for the login directory). */
    static String rootDir(SftpLocation location) {
        return location.path().isEmpty() ? "." : location.path();
    }

    @Override
    public boolean hasNext() {
        while (next == null && !stack.isEmpty()) {
            Frame frame = stack.peek();
            if (frame.entries == null) {
                frame.entries = readSorted(frame);
            }
            if (frame.next == frame.entries.length) {
                stack.pop();
                continue;
            }
            Entry entry = frame.entries[frame.next];
            frame.entries[frame.next++] = null;
            if (entry.info() == null) {
                String name = entry.sortName().substring(0, entry.sortName().length() - 1);
                String dir = frame.remoteDir.equals(".") ? name : frame.remoteDir + "/" + name;
                stack.push(new Frame(dir, frame.keyPrefix + name + "/", ""));
            } else {
                next = entry.info();
            }
        }
        return next != null;
    }

    @Override
    public ObjectInfo next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ObjectInfo result = next;
        next = null;
        return result;
    }

    private Entry[] readSorted(Frame frame) {
        List<SftpClient.DirEntry> listing;
        try {
            listing = reader.read(frame.remoteDir);
        } catch (MigrationException e) {
            if (frame == start || !SftpErrors.isPermissionDenied(e)) {
                throw e;
            }
            unlisted.add(frame.keyPrefix, "permission denied");
            return new Entry[0];
        }
        if (listing == null) {
            return new Entry[0];
        }
        List<Entry> entries = new ArrayList<>(listing.size());
        boolean undecodable = false;
        for (SftpClient.DirEntry dirEntry : listing) {
            String name = dirEntry.getFilename();
            if (name.equals(".") || name.equals("..") || !name.startsWith(frame.namePrefix)) {
                continue;
            }
            String problem = name.indexOf('/') >= 0 ? "a name with '/'" : ObjectKeys.problem(name);
            SftpClient.Attributes attributes = dirEntry.getAttributes();
            if (problem != null) {
                skipped.add(frame.keyPrefix + name, "a name no key can hold: " + problem);
            } else if (name.indexOf('\uFFFD') >= 0 && (attributes.isRegularFile() || attributes.isDirectory())) {
                // bytes that are not UTF-8 reach us as U+FFFD, and that name opens or lists nothing on the server:
                // an object all the same, whose copy or deletion fails saying so (SftpUndecodableNames)
                undecodable = true;
                entries.add(new Entry(name, undecodable(frame.keyPrefix + name, attributes)));
            } else if (attributes.isDirectory()) {
                entries.add(new Entry(name + "/", null));
            } else if (attributes.isRegularFile()) {
                entries.add(new Entry(name, SftpObjectStore.info(frame.keyPrefix + name, attributes)));
            } else if (attributes.isSymbolicLink()) {
                skipped.add(frame.keyPrefix + name, "a symbolic link");
            } else {
                skipped.add(frame.keyPrefix + name, "not a file or directory: a pipe, socket or device");
            }
        }
        entries.sort(BY_NAME);
        if (undecodable) {
            skipped.dropNamesReadAlike(frame.keyPrefix, entries, Entry::sortName);
        }
        return entries.toArray(Entry[]::new);
    }

    /**
     * A file or directory whose name is not UTF-8, as an object of its (U+FFFD) key, so that it is never left out
     * unseen: its copy, its deletion and {@code verify --exact} fail saying why. A directory is not walked (its name
     * lists nothing) and stands as an empty object.
     */
    private static ObjectInfo undecodable(String key, SftpClient.Attributes attributes) {
        ObjectInfo info = SftpObjectStore.info(key, attributes);
        return attributes.isDirectory() ? new ObjectInfo(key, 0, info.modTime(), java.util.Map.of(), null, null,
                java.util.Map.of(), info.posixMode()) : info;
    }

    @Override
    public String toString() {
        return "SftpLister[" + location.uri() + "]";
    }
}
