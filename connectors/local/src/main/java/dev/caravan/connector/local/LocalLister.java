package dev.caravan.connector.local;

import dev.caravan.api.store.KeyNotes;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy, depth-first walk of a directory tree that yields regular files in {@link ObjectKeys#ORDER} of their
 * keys. Each directory's entries are sorted as {@code name} for files and {@code name + "/"} for directories,
 * which makes the depth-first order equal to the order of the full keys ({@code a.txt} before {@code a/b}).
 * Memory is the sorted names of one directory per level of the current path, so a flat directory of 200,000
 * files costs a few megabytes. Each entry is stat-ed once, when its directory is read (to tell files from
 * directories); a directory of at most {@link #KEEP_MAX} entries keeps those facts for its files, a larger one
 * keeps only names and stats its files again when they are reached.
 *
 * <p>Symbolic links are skipped unless followed; with {@code followSymlinks} a link to a directory that is
 * already on the current path (a loop) is skipped. Other non-regular files (sockets, pipes, devices) are skipped.
 * Each skipped entry is noted in the store's {@link KeyNotes}, so that a plan names them.
 * Entries that vanish during the walk are skipped; a directory below the start that cannot be read (permission denied,
 * a path too long) is noted as unlisted and walked as empty; any other failure (an unreadable start) ends the walk
 * with a {@link dev.caravan.api.error.MigrationException}. Silently missing objects on a source would make a sync
 * delete them on the target: the engine deletes nothing in a run whose source has unlisted directories. Not
 * thread-safe: one iterator per stream.
 */
final class LocalLister implements Iterator<ObjectInfo> {

    /** One directory on the current path. {@code names} is read when the frame is first visited. */
    private static final class Frame {
        final Path dir;
        final String keyPrefix;
        final String namePrefix;
        final Object fileKey;
        String[] names;
        /** The files' objects as read with the names (null for directories, or all null in a large directory). */
        ObjectInfo[] infos;
        /**
         * The entries whose names hold U+FFFD, by name: possibly bytes that are not UTF-8, which their name does not
         * reach again, so they are entered or looked at through the path the directory gave. Usually null.
         */
        Map<String, Path> undecodable;
        int next;

        Frame(Path dir, String keyPrefix, String namePrefix, Object fileKey) {
            this.dir = dir;
            this.keyPrefix = keyPrefix;
            this.namePrefix = namePrefix;
            this.fileKey = fileKey;
        }

        void remember(String name, Path entry) {
            if (undecodable == null) {
                undecodable = new HashMap<>();
            }
            undecodable.putIfAbsent(name, entry); // the first of names read alike (see KeyNotes.dropNamesReadAlike)
        }

        /** The path of the entry {@code name} of this directory. */
        Path path(String name) {
            Path listed = undecodable == null ? null : undecodable.get(name);
            return listed != null ? listed : dir.resolve(name);
        }
    }

    /** Directories of at most this many entries keep their files' facts from reading the directory (~1 MiB). */
    static final int KEEP_MAX = 4096;

    private final LocalPaths paths;
    private final KeyNotes skipped;
    private final KeyNotes unlisted;
    private final Frame start;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private ObjectInfo next;

    private LocalLister(LocalPaths paths, KeyNotes skipped, KeyNotes unlisted, Frame start) {
        this.paths = paths;
        this.skipped = skipped;
        this.unlisted = unlisted;
        this.start = start;
        if (start != null) {
            stack.push(start);
        }
    }

    /**
     * A lazy stream of the objects whose keys start with {@code prefix}. The caller has checked that the root
     * is a directory; a prefix naming a missing directory gives an empty stream. A directory below it that cannot be
     * read (permission denied, a path too long) is noted in {@code unlisted} and walked as empty.
     */
    static Stream<ObjectInfo> stream(LocalPaths paths, KeyNotes skipped, KeyNotes unlisted, String prefix) {
        LocalLister lister = new LocalLister(paths, skipped, unlisted, startFrame(paths, prefix));
        Spliterator<ObjectInfo> spliterator = Spliterators.spliteratorUnknownSize(lister,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT);
        return StreamSupport.stream(spliterator, false).onClose(lister.stack::clear);
    }

    /** The directory named by the part of {@code prefix} before its last slash, walked with the listing's rules. */
    private static Frame startFrame(LocalPaths paths, String prefix) {
        int slash = prefix.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : prefix.substring(0, slash);
        String namePrefix = prefix.substring(slash + 1);
        Path dir = paths.root();
        if (!dirPart.isEmpty()) {
            ObjectKeys.requireSafe(dirPart);
            for (String segment : dirPart.split("/")) {
                dir = dir.resolve(segment);
                if (directoryAttributes(paths, dir).isEmpty()) {
                    return null;
                }
            }
        }
        Object fileKey = directoryAttributes(paths, dir).map(BasicFileAttributes::fileKey).orElse(null);
        return new Frame(dir, dirPart.isEmpty() ? "" : dirPart + "/", namePrefix, fileKey);
    }

    /** The attributes of a directory the walk may enter, or empty (missing, a file, a link not followed). */
    private static Optional<BasicFileAttributes> directoryAttributes(LocalPaths paths, Path dir) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class,
                    paths.linkOptions());
            return attributes.isDirectory() ? Optional.of(attributes) : Optional.empty();
        } catch (IOException e) {
            if (LocalErrors.isMissing(e)) {
                return Optional.empty();
            }
            throw LocalErrors.translate(e, dir);
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && !stack.isEmpty()) {
            Frame frame = stack.peek();
            if (frame.names == null) {
                readSorted(frame);
            }
            if (frame.next == frame.names.length) {
                stack.pop();
                continue;
            }
            int at = frame.next++;
            String name = frame.names[at];
            ObjectInfo read = frame.infos[at];
            frame.names[at] = null;
            frame.infos[at] = null;
            if (name.endsWith("/")) {
                enter(frame, name.substring(0, name.length() - 1));
            } else {
                next = read != null ? read : paths.stat(frame.keyPrefix + name, frame.path(name)).orElse(null);
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

    private void enter(Frame parent, String name) {
        Path dir = parent.path(name);
        Optional<BasicFileAttributes> attributes = directoryAttributes(paths, dir);
        if (attributes.isEmpty()) {
            return;
        }
        Object fileKey = attributes.get().fileKey();
        if (paths.followSymlinks() && fileKey != null
                && stack.stream().anyMatch(frame -> Objects.equals(frame.fileKey, fileKey))) {
            skipped.add(parent.keyPrefix + name, "a link to a directory it is in: a loop");
            return;
        }
        stack.push(new Frame(dir, parent.keyPrefix + name + "/", "", fileKey));
    }

    /** An entry of a directory: its sort name and, for a regular file, its object. */
    private record Entry(String sortName, ObjectInfo info) {
    }

    /** Reads the frame's directory into its sorted names and (in a directory of at most KEEP_MAX) objects. */
    private void readSorted(Frame frame) {
        List<Entry> read = new ArrayList<>();
        boolean keep = true;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(frame.dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(frame.namePrefix)) {
                    if (keep && read.size() >= KEEP_MAX) { // too many to keep: names only
                        keep = false;
                        read.replaceAll(e -> new Entry(e.sortName(), null));
                    }
                    Entry e = entry(frame, entry, name, keep);
                    if (e != null) {
                        read.add(e);
                        if (name.indexOf('\uFFFD') >= 0) {
                            frame.remember(name, entry);
                        }
                    }
                }
            }
        } catch (IOException e) {
            String unreadable = frame == start ? null : unreadable(e);
            if (unreadable != null) {
                unlisted.add(frame.keyPrefix, unreadable);
            } else if (!LocalErrors.isMissing(e)) {
                throw LocalErrors.translate(e, frame.dir);
            }
            read.clear();
        }
        read.sort((a, b) -> ObjectKeys.ORDER.compare(a.sortName(), b.sortName()));
        if (frame.undecodable != null) {
            skipped.dropNamesReadAlike(frame.keyPrefix, read, Entry::sortName);
        }
        frame.names = new String[read.size()];
        frame.infos = new ObjectInfo[read.size()];
        for (int i = 0; i < frame.names.length; i++) {
            frame.names[i] = read.get(i).sortName();
            frame.infos[i] = read.get(i).info();
        }
    }

    /**
     * {@code name/} for a directory, {@code name} (with its object when {@code keep}) for a regular file, null for
     * anything to skip.
     */
    private Entry entry(Frame frame, Path entry, String name, boolean keep) throws IOException {
        BasicFileAttributes attributes;
        boolean link = false;
        try {
            attributes = paths.attributes(entry, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                if (!paths.followSymlinks()) {
                    skipped.add(frame.keyPrefix + name, "a symbolic link", "followSymlinks=true follows links");
                    return null;
                }
                link = true;
                attributes = paths.attributes(entry);
            }
        } catch (IOException e) {
            if (link && LocalErrors.isMissing(e)) {
                skipped.add(frame.keyPrefix + name, "a symbolic link to nothing");
                return null;
            }
            if (LocalErrors.isMissing(e) || isLinkLoop(e)) {
                return null; // vanished, or a link loop
            }
            throw e;
        }
        if (attributes.isDirectory()) {
            return new Entry(name + "/", null);
        }
        if (!attributes.isRegularFile()) {
            skipped.add(frame.keyPrefix + name, "not a file or directory: a pipe, socket or device");
            return null;
        }
        return new Entry(name, keep ? paths.info(frame.keyPrefix + name, attributes) : null);
    }

    /** Why a directory cannot be read, when that is its own state rather than the file system's failure; else null. */
    private static String unreadable(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String reason = e instanceof java.nio.file.FileSystemException f ? f.getReason() : null;
        return reason != null && reason.toLowerCase(java.util.Locale.ROOT).contains("name too long")
                ? "its path is longer than the system allows" : null;
    }

    private static boolean isLinkLoop(IOException e) {
        return String.valueOf(e.getMessage()).contains("symbolic links");
    }
}
