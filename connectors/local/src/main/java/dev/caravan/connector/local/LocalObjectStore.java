package dev.caravan.connector.local;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.AttributeWrite;
import dev.caravan.api.store.BoundedInputStream;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ChangeCheckingInputStream;
import dev.caravan.api.store.ChangeCheckingInputStream.Snapshot;
import dev.caravan.api.store.ComputedDigest;
import dev.caravan.api.store.ContentTypes;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.KeyGlob;
import dev.caravan.api.store.KeyNotes;
import dev.caravan.api.store.LocalDisk;
import dev.caravan.api.store.MetadataCheck;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.Prefetch;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.Rename;
import dev.caravan.api.store.ResumableWrite;
import dev.caravan.api.store.SkippedEntries;
import dev.caravan.api.store.SparseRead;
import dev.caravan.api.store.StoreFeatures;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} over a directory of a local or mounted file system (java.nio.file). Keys map to
 * {@code root/key} after the checks of {@link LocalPaths}; directories are created on put and removed on delete
 * when they become empty (never the root). A put writes in place, so {@link StoreFeatures#atomicPut()} is false
 * and the copy pipeline writes a temporary name and publishes it with {@link #rename} ({@code rename(2)}).
 * A put that fails removes what it wrote. With {@code sparse} (the default) a put leaves holes for all-zero 64 KiB
 * blocks and {@link #dataRanges} tells where a file holds data ({@link LocalSparse}). A put returns the SHA-256
 * of the bytes it wrote, computed in the same pass (as rclone's local backend does), so the copy pipeline checks
 * it against the digest of the bytes it sent without reading the file back. With {@code xattrs} (the default, where
 * the file system has them) the content type, content headers, user metadata and tags of a put are kept in extended
 * attributes of the {@code user.} namespace ({@link LocalXattrs}) and reported by {@link #stat}. The files live on
 * this machine, so {@link #sha256} ({@link ComputedDigest}) reads and hashes one without any transfer. Thread-safe
 * and stateless apart from its settings.
 */
public final class LocalObjectStore implements ObjectStore, Rename, SparseRead, ResumableWrite, MetadataCheck,
        ComputedDigest, Prefetch, SkippedEntries, AttributeWrite {

    private static final int MIN_BUFFER = 8 * 1024;
    private static final int MAX_BUFFER = 1024 * 1024;
    private static final int READ_BUFFER = 64 * 1024;
    /** Files at least this large are checked for holes when opened (two system calls per extent). */
    private static final long SPARSE_READ_MIN = 1 << 20;

    private final Path root;
    private final LocalStoreSettings settings;
    private final LocalPaths paths;
    private final LocalFileCreator creator;
    private final KeyNotes skipped = new KeyNotes();
    private final KeyNotes unlisted = new KeyNotes();
    private final StoreFeatures features;
    /** Where descriptive attributes are kept, or {@code null} (option off, or no extended attributes here). */
    private final LocalXattrs xattrs;
    private final LocalAttributeWriter attributeWriter;

    private LocalObjectStore(Path root, LocalStoreSettings settings) {
        this.root = root;
        this.settings = settings;
        boolean posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
        this.paths = new LocalPaths(root, settings.followSymlinks(), posix && settings.preserveMode());
        this.creator = new LocalFileCreator(root, settings, paths);
        this.xattrs = settings.xattrs() ? LocalXattrs.forRoot(root) : null;
        this.attributeWriter = new LocalAttributeWriter(paths, xattrs != null, settings.fsync());
        this.features = new StoreFeatures(Set.of(), LocalFiles.modTimePrecision(root), true,
                posix && settings.preserveMode(), false, false, xattrs == null ? Set.of() : StoreFeatures.ALL_METADATA);
    }

    /**
     * Opens a store on {@code root} (made absolute and normalized). Listing a missing root gives
     * {@code NOT_FOUND}; writing into it creates it with {@code createRoot}, else fails with {@code USER_CONFIG}.
     */
    public static LocalObjectStore open(Path root, LocalStoreSettings settings) {
        Path absolute = root.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            String name = KeyGlob.literal(absolute.getFileName().toString());
            throw MigrationException.userConfig("local store root " + absolute + " is not a directory"
                    + (Files.isRegularFile(absolute) ? " but a file (to copy one file, give its directory and select"
                    + " it: local:" + absolute.getParent() + " --include '/" + name + "')" : ""));
        }
        return new LocalObjectStore(absolute, settings);
    }

    /** The root directory, absolute and normalized. */
    public Path root() {
        return root;
    }

    @Override
    public String uri() {
        return LocalStoreProvider.SCHEME + ":" + root;
    }

    /**
     * {@code local:} and where the root lies: its real path, through any symbolic link, as a path on its file system,
     * through any bind mount ({@link LocalDisk#location}).
     */
    @Override
    public String rootLocation() {
        return LocalStoreProvider.SCHEME + ":" + LocalDisk.location(root);
    }

    @Override
    public StoreFeatures features() {
        return features;
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        String safePrefix = prefix == null ? "" : prefix;
        if (!Files.isDirectory(root)) {
            if (Files.exists(root)) {
                throw MigrationException.userConfig("local store root " + root + " is not a directory");
            }
            throw MigrationException.notFound("source directory " + root + " does not exist");
        }
        return LocalLister.stream(paths, skipped, unlisted, safePrefix);
    }

    /** The file's facts, with the attributes kept in its extended attributes (one listxattr; listings omit them). */
    @Override
    public Optional<ObjectInfo> stat(String key) {
        Path file = paths.locate(key);
        Optional<ObjectInfo> info = paths.statChecked(key, file);
        return (xattrs == null ? info : info.map(i -> LocalXattrs.read(file, i))).map(this::withImpliedType);
    }

    /** See {@link LocalPaths#problem}. */
    @Override
    public String keyProblem(String key) {
        return LocalPaths.problem(key);
    }

    /** Symbolic links not followed, links to nothing, link loops, pipes, sockets and devices the listings met. */
    @Override
    public KeyNotes skipped() {
        return skipped;
    }

    /** Directories below the root the listings could not read (permission denied, a path too long). */
    @Override
    public KeyNotes unlisted() {
        return unlisted;
    }

    /** A directory tree: {@code a} is either a file or a directory. */
    @Override
    public boolean isFileTree() {
        return true;
    }

    /** The type a file's name implies, with {@code guessContentType}; {@code null} without. */
    @Override
    public String impliedContentType(String key) {
        return settings.guessContentType() ? ContentTypes.guess(key) : null;
    }

    private ObjectInfo withImpliedType(ObjectInfo info) {
        String implied = info.contentType() == null ? impliedContentType(info.key()) : null;
        return implied == null ? info : info.withAttributes(implied, info.headers(), info.metadata(), info.tags());
    }

    /** What the extended attributes of a file would not hold (see {@link LocalXattrs}); nothing when off. */
    @Override
    public List<Refusal> refusals(String key, PutRequest request) {
        return xattrs == null ? List.of() : xattrs.refusals(request);
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        Path file = paths.locate(key);
        ObjectInfo opened = paths.statChecked(key, file).orElseThrow(() -> MigrationException.notFound("no object '"
                + key + "' in " + uri() + " (no regular file " + file + ")"));
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, readOptions());
            long size = channel.size();
            InputStream sparse = openSparse(channel, file, range, size);
            long left = size - range.offset();
            long expected = range.length() < 0 ? left : Math.min(range.length(), left);
            if (sparse != null) {
                return watched(sparse, file, opened, expected);
            }
            if (range.offset() > 0) {
                channel.position(range.offset());
            }
            // a small file gets a small buffer: a bulk read (every copy's) goes past it straight into the caller's
            // array, and no buffer of the file's size is allocated per file
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel),
                    left <= READ_BUFFER ? MIN_BUFFER : READ_BUFFER);
            InputStream bounded = range.length() < 0 ? in : new BoundedInputStream(in, range.length());
            return watched(bounded, file, opened, expected);
        } catch (IOException e) {
            LocalFiles.closeQuietly(channel);
            throw LocalErrors.translate(e, file);
        }
    }

    /** {@code in}, failing at its end if the file changed while it was read (see {@link ChangeCheckingInputStream}). */
    private InputStream watched(InputStream in, Path file, ObjectInfo opened, long expected) {
        if (opened.modTime() == null) {
            return in;
        }
        return new ChangeCheckingInputStream(in, new Snapshot(opened.size(), opened.modTime()), expected, () -> {
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, paths.linkOptions());
            return new Snapshot(now.size(), now.lastModifiedTime().toInstant());
        });
    }

    /** Reads a file of at most 1 MiB into the page cache for the copy about to read it ({@link LocalPrefetch}). */
    @Override
    public void prefetch(String key, long size) {
        try {
            LocalPrefetch.load(paths.locate(key), size, readOptions());
        } catch (RuntimeException refused) {
            // a key the store refuses: the copy reports it
        }
    }

    /** The SHA-256 of a file, read and hashed here (holes of a sparse file are hashed as the zeros they read as). */
    @Override
    public Optional<String> sha256(String key) {
        return sha256(key, UnaryOperator.identity());
    }

    /** The SHA-256 of a file, read through {@code through}. */
    @Override
    public Optional<String> sha256(String key, UnaryOperator<InputStream> through) {
        try (InputStream in = through.apply(open(key, ByteRange.ALL))) {
            return Optional.of(LocalDigests.sha256(in));
        } catch (IOException e) {
            throw LocalErrors.translate(e, paths.locate(key));
        }
    }

    /** Reads the file once, hashing it whole and part by part. */
    @Override
    public Optional<PartDigests> sha256WithParts(String key, long partSize) {
        return sha256WithParts(key, partSize, UnaryOperator.identity());
    }

    /** Reads the file once, through {@code through}, hashing it whole and part by part. */
    @Override
    public Optional<PartDigests> sha256WithParts(String key, long partSize, UnaryOperator<InputStream> through) {
        try (InputStream in = through.apply(open(key, ByteRange.ALL))) {
            return Optional.of(LocalDigests.withParts(in, partSize));
        } catch (IOException e) {
            throw LocalErrors.translate(e, paths.locate(key));
        }
    }

    /**
     * A stream that makes the holes of a large sparse file in memory instead of reading them, or {@code null} for
     * a dense file, a small one, or where the file system cannot tell ({@link LocalHoles}).
     */
    private static InputStream openSparse(FileChannel channel, Path file, ByteRange range, long size)
            throws IOException {
        if (size < SPARSE_READ_MIN || !LocalHoles.available()) {
            return null;
        }
        List<ByteRange> data = LocalHoles.dataRanges(file, size);
        if (data == null || data.stream().mapToLong(ByteRange::length).sum() >= size) {
            return null;
        }
        long end = range.length() < 0 ? size : Math.min(size, range.offset() + range.length());
        return new LocalSparseStream(channel, data, Math.min(range.offset(), size), end);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        Path file = paths.locate(key); // the file is opened with O_NOFOLLOW: a link in its place fails there
        LocalFileCreator.Created created = creator.createFile(file);
        return write(key, file, created.channel(), 0, LocalDigests.newSha256(), data, request, created.fresh());
    }

    /**
     * Continues a partly written file: cuts it to {@code offset} bytes, reads those back into the SHA-256 (so the
     * digest returned is of the whole file as it is on disk, and a damaged prefix shows in the verification), then
     * writes the stream after them as {@link #put} writes (holes included).
     */
    @Override
    public ObjectInfo writeFrom(String key, long offset, InputStream data, PutRequest request) {
        if (offset == 0) {
            return put(key, data, request);
        }
        Path file = paths.locate(key);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, settings.followSymlinks()
                    ? new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
                    : new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS});
        } catch (NoSuchFileException e) {
            throw MigrationException.notFound("no partial object '" + key + "' to continue at byte " + offset);
        } catch (IOException e) {
            throw LocalErrors.translate(e, file);
        }
        MessageDigest sha256 = LocalDigests.newSha256();
        try {
            long size = channel.size();
            if (offset > size) {
                LocalFiles.closeQuietly(channel);
                throw MigrationException.userData("cannot continue '" + key + "' at byte " + offset + ": it holds "
                        + size);
            }
            channel.truncate(offset);
            ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
            for (long at = 0; at < offset; ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), offset - at));
                int n = channel.read(buffer, at);
                if (n < 0) {
                    throw new IOException("file ended at byte " + at + " while re-reading its first " + offset);
                }
                sha256.update(buffer.array(), 0, n);
                at += n;
            }
        } catch (IOException e) {
            LocalFiles.closeQuietly(channel);
            throw LocalErrors.translate(e, file);
        }
        return write(key, file, channel, offset, sha256, data, request, false);
    }

    /**
     * Writes the stream into {@code channel} from {@code offset}, then the time and mode; closes the channel.
     * {@code fresh}: this call created the file, so it has no extended attributes of an earlier attempt to remove.
     */
    private ObjectInfo write(String key, Path file, FileChannel channel, long offset, MessageDigest sha256,
            InputStream data, PutRequest request, boolean fresh) {
        PutRequest put = request == null ? PutRequest.ofSize(-1) : request;
        InputStream hashed = new DigestInputStream(data, sha256);
        long remaining = put.size() < 0 ? -1 : Math.max(0, put.size() - offset);
        try (channel) {
            if (settings.sparse()) {
                LocalSparse.copy(key, hashed, channel, remaining, offset);
            } else {
                channel.position(offset);
                LocalFiles.copy(key, hashed, channel,
                        remaining < 0 ? MAX_BUFFER : (int) Math.max(MIN_BUFFER, Math.min(MAX_BUFFER, remaining)));
            }
            if (settings.fsync()) {
                channel.force(true);
            }
        } catch (IOException e) {
            if (offset == 0) {
                LocalFiles.deleteQuietly(file);
            }
            throw LocalErrors.translate(e, file);
        } catch (RuntimeException e) {
            if (offset == 0) {
                LocalFiles.deleteQuietly(file);
            }
            throw e;
        }
        try {
            if (put.modTime() != null) {
                // both times given: the JDK then sets them without reading the file's attributes first
                Files.getFileAttributeView(file, BasicFileAttributeView.class).setTimes(FileTime.from(put.modTime()),
                        FileTime.from(Instant.now()), null);
            }
            if (put.posixMode() >= 0 && features.keepsPosixMode()) {
                Files.setPosixFilePermissions(file, LocalPaths.fromMode(put.posixMode()));
            }
            if (xattrs != null) {
                LocalXattrs.write(file, put, fresh);
            }
        } catch (IOException e) {
            throw LocalErrors.translate(e, file);
        }
        ObjectInfo written = paths.stat(key, file).orElseThrow(() -> MigrationException.notFound("object '" + key
                + "' vanished right after it was written to " + file));
        if (xattrs != null) {
            written = written.withAttributes(put.contentType(), put.headers(), put.metadata(), put.tags());
        }
        written = withImpliedType(written);
        return written.withHashes(Map.of(HashType.SHA256, HexFormat.of().formatHex(sha256.digest())));
    }

    /** Replaces a file's kept attributes and time in place, its bytes untouched ({@link LocalAttributeWriter}). */
    @Override
    public void replaceAttributes(String key, PutRequest attributes) {
        attributeWriter.replace(key, attributes);
    }

    /** The data ranges of a file, found by scanning it for all-zero 64 KiB blocks ({@link LocalSparse}). */
    @Override
    public List<ByteRange> dataRanges(String key) {
        Path file = paths.resolve(key);
        if (paths.stat(key, file).isEmpty()) {
            throw MigrationException.notFound("no object '" + key + "' in " + uri() + " (no regular file " + file
                    + ")");
        }
        try (FileChannel channel = FileChannel.open(file, readOptions())) {
            return LocalSparse.dataRanges(file, channel);
        } catch (IOException e) {
            throw LocalErrors.translate(e, file);
        }
    }

    @Override
    public void delete(String key) {
        Path file = paths.resolve(key);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                return; // a directory is not an object
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            if (LocalErrors.isMissing(e)) {
                paths.refuseUndecodable(key, file, "deleted");
                return;
            }
            throw LocalErrors.translate(e, file);
        }
        LocalFiles.removeEmptyParents(root, file.getParent(), paths::forgetDirectory);
    }

    @Override
    public void rename(String fromKey, String toKey) {
        Path from = paths.locate(fromKey);
        // no look at 'to' itself: rename(2) replaces whatever is there, a symbolic link included, and never
        // writes through it (links in its parents are refused by locate)
        Path to = paths.locate(toKey);
        if (paths.statChecked(fromKey, from).isEmpty()) {
            throw MigrationException.notFound("cannot rename '" + fromKey + "' in " + uri() + ": no such object");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                creator.createParents(to);
                LocalFiles.move(from, to);
                break;
            } catch (IOException e) {
                if (!LocalFiles.lostRaceWithDelete(e) || attempt == LocalFileCreator.RACE_ATTEMPTS) {
                    throw LocalErrors.translate(e, to);
                }
                paths.forgetDirectory(to.getParent());
                if (paths.stat(fromKey, from).isEmpty()) {
                    throw MigrationException.notFound("cannot rename '" + fromKey + "': it vanished");
                }
            }
        }
        if (!from.getParent().equals(to.getParent())) {
            LocalFiles.removeEmptyParents(root, from.getParent(), paths::forgetDirectory);
        }
        if (settings.fsync()) {
            LocalFiles.syncDirectory(to.getParent());
        }
    }

    @Override
    public Optional<Long> freeSpace() {
        Path existing = LocalFiles.nearestExisting(root);
        try {
            return Optional.of(Files.getFileStore(existing).getUsableSpace());
        } catch (IOException e) {
            throw LocalErrors.translate(e, existing);
        }
    }

    @Override
    public String toString() {
        return uri();
    }

    private OpenOption[] readOptions() {
        return settings.followSymlinks() ? new OpenOption[] {StandardOpenOption.READ}
                : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
    }
}
