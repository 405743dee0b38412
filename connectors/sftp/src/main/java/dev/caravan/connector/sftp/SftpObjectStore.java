package dev.caravan.connector.sftp;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.FileTreeClashException;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.BoundedInputStream;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ChangeCheckingInputStream;
import dev.caravan.api.store.ChangeCheckingInputStream.Snapshot;
import dev.caravan.api.store.ComputedDigest;
import dev.caravan.api.store.ContentTypes;
import dev.caravan.api.store.KeyNotes;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.Rename;
import dev.caravan.api.store.ResumableWrite;
import dev.caravan.api.store.SkippedEntries;
import dev.caravan.api.store.SparseWrite;
import dev.caravan.api.store.StoreCapability;
import dev.caravan.api.store.StoreFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.CopyMode;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ObjectStore} over a directory of an SSH server, spoken to with SFTP (Apache MINA SSHD). Keys map to
 * {@code path/key} on the server after {@link ObjectKeys#requireSafe}; parent directories are created on put and
 * removed on delete when they become empty (never the root). Symbolic links are not objects. A put writes in
 * place, so {@link StoreFeatures#atomicPut()} is false and the copy pipeline writes a temporary name and
 * publishes it with {@link #rename} ({@code posix-rename@openssh.com} where the server has it: atomic, replacing).
 * A put that fails removes what it wrote; {@link #writeFrom} continues a partial file from an offset instead.
 * Modification times are kept to the second (SFTP v3 carries whole seconds). The info a put returns carries
 * the SHA-256 of the written file as the server computed it ({@link SftpRemoteHash}, option {@code hashCommand})
 * where the server runs commands, so the engine verifies without reading the file back. Thread-safe: operations
 * borrow a channel from a small pool ({@link SftpConnections}).
 */
final class SftpObjectStore implements ObjectStore, Rename, ResumableWrite, ComputedDigest, SkippedEntries {
    private static final Logger LOG = LoggerFactory.getLogger(SftpObjectStore.class);
    private static final StoreFeatures FEATURES = new StoreFeatures(Set.of(), Duration.ofSeconds(1), true, true,
            false, false);

    /**
     * Smallest file whose SHA-256 the server computes; smaller ones are read back by the engine. A command costs
     * an SSH channel and two process starts on the server, more than reading a small file back: measured against
     * OpenSSH on loopback (scripts/bench-sftp.sh), 2,000 files of 4-64 KiB took 7.9-9.1 s hashed by the server and
     * 4.6-5.3 s read back, 48 files of 1 MiB 2.2-2.9 s and 3.1-3.2 s.
     */
    static final long REMOTE_HASH_MIN_SIZE = 1L << 20;

    /** One SFTP operation on a borrowed channel. */
    @FunctionalInterface
    private interface Operation<T> {
        T run(SftpClient sftp) throws IOException;
    }

    private final SftpLocation location;
    private final SftpSettings settings;
    private final SftpConnections connections;
    private final SftpDirectories directories;
    private final SftpWriter writer;
    private final SftpRemoteHash remoteHash;
    private final KeyNotes skipped = new KeyNotes();
    private final KeyNotes unlisted = new KeyNotes();
    /** The root's absolute canonical path on the server, for commands and {@link #rootLocation}; found on first use. */
    private volatile String absoluteRoot;

    SftpObjectStore(SftpLocation location, SftpSettings settings) {
        this.location = location;
        this.settings = settings;
        this.connections = new SftpConnections(location, settings);
        this.directories = new SftpDirectories(location, settings.createRoot());
        this.writer = new SftpWriter(directories, settings.bufferSize(), settings.sparse());
        this.remoteHash = new SftpRemoteHash(settings.hashCommand(), settings.connectTimeout());
    }

    @Override
    public String uri() {
        return location.uri();
    }

    @Override
    public StoreFeatures features() {
        return FEATURES;
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        String safePrefix = prefix == null ? "" : prefix;
        String root = SftpLister.rootDir(location);
        SftpClient.Attributes attributes = call(root, sftp -> {
            try {
                return sftp.stat(root);
            } catch (IOException e) {
                if (SftpErrors.isMissing(e)) {
                    return null;
                }
                throw e;
            }
        });
        if (attributes == null) {
            throw MigrationException.notFound("source directory " + uri() + " does not exist");
        }
        if (!attributes.isDirectory()) {
            throw MigrationException.userConfig("sftp store root " + uri() + " is not a directory");
        }
        return SftpLister.stream(location, this::readDirectory, skipped, unlisted, safePrefix);
    }

    private List<SftpClient.DirEntry> readDirectory(String remoteDir) {
        return call(remoteDir, sftp -> SftpLister.readAll(sftp, remoteDir));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        String remote = location.remote(ObjectKeys.requireSafe(key));
        return Optional.ofNullable(call(remote, sftp -> lstatNamed(sftp, key, remote, "read")))
                .filter(SftpClient.Attributes::isRegularFile)
                .map(a -> {
                    ObjectInfo info = info(key, a);
                    String type = impliedContentType(key);
                    return type == null ? info : info.withAttributes(type, info.headers(), info.metadata(), Map.of());
                });
    }

    /** The type a file's name implies, with {@code guessContentType}; {@code null} without. */
    @Override
    public String impliedContentType(String key) {
        return settings.guessContentType() ? ContentTypes.guess(key) : null;
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        String remote = location.remote(ObjectKeys.requireSafe(key));
        SftpConnections.Channel channel = connections.borrow();
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                connections.release(channel);
            }
        };
        try {
            SftpClient.Attributes attributes = lstatNamed(channel.sftp, key, remote, "read");
            if (attributes == null || !attributes.isRegularFile()) {
                throw MigrationException.notFound("no object '" + key + "' in " + uri() + " (no regular file "
                        + remote + ")");
            }
            long size = attributes.getSize();
            if (range.offset() >= size || range.length() == 0) {
                release.run();
                return InputStream.nullInputStream();
            }
            SftpClient.CloseableHandle handle = channel.sftp.open(remote, SftpClient.OpenMode.Read);
            InputStream in = new SftpInputStreamAsync((AbstractSftpClient) channel.sftp, settings.bufferSize(),
                    range.offset(), size, remote, handle);
            long length = range.length() < 0 ? size - range.offset() : Math.min(range.length(), size - range.offset());
            InputStream ranged = new RangeStream(in, length, release);
            return size < settings.changeCheckFrom() ? ranged
                    : watched(ranged, attributes, length, channel.sftp, handle);
        } catch (IOException e) {
            release.run();
            throw SftpErrors.translate(e, connections.where(), remote);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        return write(key, 0, data, request == null ? PutRequest.ofSize(-1) : request);
    }

    @Override
    public ObjectInfo writeFrom(String key, long offset, InputStream data, PutRequest request) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        return write(key, offset, data, request == null ? PutRequest.ofSize(-1) : request);
    }

    private ObjectInfo write(String key, long offset, InputStream data, PutRequest request) {
        String remote = location.remote(ObjectKeys.requireSafe(key));
        return call(remote, sftp -> {
            if (offset > 0) {
                SftpClient.Attributes existing = lstat(sftp, remote);
                if (existing == null || !existing.isRegularFile()) {
                    throw MigrationException.notFound("cannot continue '" + key + "' at offset " + offset
                            + ": no partial object in " + uri());
                }
                if (offset > existing.getSize()) {
                    throw MigrationException.userData("cannot continue '" + key + "' at offset " + offset
                            + ": the partial object has only " + existing.getSize() + " bytes");
                }
            }
            long size;
            try {
                size = writer.write(sftp, key, remote, offset, data);
                return finish(sftp, key, remote, size, request);
            } catch (IOException | RuntimeException e) {
                if (offset == 0) {
                    removeQuietly(sftp, remote);
                }
                throw e;
            }
        });
    }

    /**
     * The SHA-256 the server computes of the file, for files of {@link #REMOTE_HASH_MIN_SIZE} and more when the
     * server runs commands (see {@link SftpRemoteHash}); empty otherwise or when that fails, and the engine reads the
     * file back. Asked only where a SHA-256 is wanted (verification), never by a put.
     */
    @Override
    public Optional<String> sha256(String key) {
        String remote = location.remote(ObjectKeys.requireSafe(key));
        return call(remote, sftp -> {
            SftpClient.Attributes attributes = lstat(sftp, remote);
            if (attributes == null || !attributes.isRegularFile() || attributes.getSize() < REMOTE_HASH_MIN_SIZE
                    || remoteHash.command(sftp.getClientSession()).isEmpty()) {
                return Optional.<String>empty();
            }
            String root = absoluteRoot(sftp); // commands need absolute paths
            String path = root.endsWith("/") ? root + key : root + "/" + key;
            return remoteHash.sha256(sftp, path, attributes.getSize());
        });
    }

    /** {@link SftpRootLocation}; when the server cannot be reached {@link #uri()} (what follows fails then). */
    @Override
    public String rootLocation() {
        try {
            return call(SftpLister.rootDir(location), sftp -> SftpRootLocation.of(location, absoluteRoot(sftp), sftp));
        } catch (MigrationException e) {
            LOG.debug("cannot resolve the root of {} ({}); comparing locations by the URI", uri(), e.getMessage());
            return uri();
        }
    }

    /** The root's absolute canonical path on the server, found once; for a root not created yet, where it will be. */
    private String absoluteRoot(SftpClient sftp) throws IOException {
        String root = absoluteRoot;
        if (root == null) {
            root = SftpRealPath.of(sftp, SftpLister.rootDir(location));
            absoluteRoot = root;
        }
        return root;
    }

    /** Symbolic links, pipes, sockets, devices and names no key can hold that the listings met. */
    @Override
    public KeyNotes skipped() {
        return skipped;
    }

    /** With {@code sparse} (the default), writes leave 64 KiB blocks of zeros as holes: the bandwidth limit skips them. */
    @Override
    public <C extends StoreCapability> Optional<C> capability(Class<C> type) {
        if (type == SparseWrite.class) {
            return settings.sparse() ? Optional.of(type.cast((SparseWrite) () -> SftpWriter.BLOCK)) : Optional.empty();
        }
        return ObjectStore.super.capability(type);
    }

    /** Directories below the root the server did not let the listings read. */
    @Override
    public KeyNotes unlisted() {
        return unlisted;
    }

    /** A directory tree: {@code a} is either a file or a directory. */
    @Override
    public boolean isFileTree() {
        return true;
    }

    /** Applies time and mode in one SETSTAT and returns the object's info (a stat only when the time is not ours). */
    private ObjectInfo finish(SftpClient sftp, String key, String remote, long size, PutRequest request)
            throws IOException {
        SftpClient.Attributes attributes = new SftpClient.Attributes();
        boolean any = false;
        if (request.modTime() != null) {
            FileTime time = FileTime.from(request.modTime().truncatedTo(ChronoUnit.SECONDS));
            attributes.modifyTime(time).accessTime(time);
            any = true;
        }
        if (request.posixMode() >= 0) {
            attributes.perms(request.posixMode() & 0777);
            any = true;
        }
        if (any) {
            sftp.setStat(remote, attributes);
        }
        if (request.modTime() != null && request.posixMode() >= 0) {
            return new ObjectInfo(key, size, request.modTime().truncatedTo(ChronoUnit.SECONDS), Map.of(), null,
                    null, Map.of(), request.posixMode() & 0777);
        }
        SftpClient.Attributes written = sftp.stat(remote);
        return info(key, written);
    }

    @Override
    public void delete(String key) {
        String remote = location.remote(ObjectKeys.requireSafe(key));
        call(remote, sftp -> {
            try {
                sftp.remove(remote);
            } catch (IOException e) {
                if (SftpErrors.isMissing(e)) {
                    SftpUndecodableNames.refuse(sftp, location, key, "deleted"); // not "gone": unnameable
                    return null;
                }
                SftpClient.Attributes attributes = lstat(sftp, remote);
                if (attributes == null || attributes.isDirectory()) {
                    return null; // gone meanwhile, or a directory (not an object)
                }
                throw e;
            }
            directories.removeEmptyParents(sftp, key);
            return null;
        });
    }

    @Override
    public void rename(String fromKey, String toKey) {
        String from = location.remote(ObjectKeys.requireSafe(fromKey));
        String to = location.remote(ObjectKeys.requireSafe(toKey));
        call(to, sftp -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    renameReplacing(sftp, from, to); // no stat first: one round trip in the usual case
                    break;
                } catch (IOException e) {
                    if (!SftpErrors.isMissing(e) && !SftpErrors.isStatus(e)) {
                        throw e;
                    }
                    SftpClient.Attributes source = lstat(sftp, from);
                    if (source == null || !source.isRegularFile()) {
                        throw MigrationException.notFound("cannot rename '" + fromKey + "' in " + uri()
                                + ": no such object");
                    }
                    if (!SftpErrors.isMissing(e) || attempt == 10) {
                        FileTreeClashException clash = directories.clashFor(sftp, toKey, e);
                        if (clash != null) {
                            throw clash;
                        }
                        throw e;
                    }
                    directories.createParents(sftp, toKey);
                }
            }
            if (!ObjectKeys.parent(fromKey).equals(ObjectKeys.parent(toKey))) {
                directories.removeEmptyParents(sftp, fromKey);
            }
            return null;
        });
    }

    /**
     * POSIX rename (atomic, replaces the target) through {@code posix-rename@openssh.com} when the server offers
     * it; else SFTP v5+ rename with the overwrite flag; else (plain v3) remove the target, then rename: not
     * atomic, a reader may briefly see no object.
     */
    private static void renameReplacing(SftpClient sftp, String from, String to) throws IOException {
        OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
        if (posix != null && posix.isSupported()) {
            posix.posixRename(from, to);
        } else if (sftp.getVersion() >= 5) {
            sftp.rename(from, to, CopyMode.Overwrite, CopyMode.Atomic);
        } else {
            try {
                sftp.remove(to);
            } catch (IOException e) {
                if (!SftpErrors.isMissing(e)) {
                    throw e;
                }
            }
            sftp.rename(from, to);
        }
    }

    @Override
    public void close() {
        connections.close();
    }

    @Override
    public String toString() {
        return uri();
    }

    /**
     * {@code in}, failing at its end if the file changed while it was read (see {@link ChangeCheckingInputStream}):
     * one FSTAT of the open handle once every byte was read, in whole seconds (SFTP version 3). For files of at least
     * {@code changeCheckFrom} bytes.
     */
    private static InputStream watched(InputStream in, SftpClient.Attributes opened, long expected, SftpClient sftp,
            SftpClient.Handle handle) {
        FileTime openedTime = opened.getModifyTime();
        if (openedTime == null) {
            return in;
        }
        return new ChangeCheckingInputStream(in, new Snapshot(opened.getSize(), openedTime.toInstant()), expected,
                () -> {
                    SftpClient.Attributes now = sftp.stat(handle);
                    FileTime time = now.getModifyTime();
                    return new Snapshot(now.getSize(), time == null ? openedTime.toInstant() : time.toInstant());
                });
    }

    /** What a listing or stat says about a regular file. */
    static ObjectInfo info(String key, SftpClient.Attributes attributes) {
        FileTime time = attributes.getModifyTime();
        Instant modTime = time == null ? null : time.toInstant();
        return new ObjectInfo(key, attributes.getSize(), modTime, Map.of(), null, null, Map.of(),
                attributes.getPermissions() & 0777);
    }

    private static SftpClient.Attributes lstat(SftpClient sftp, String remote) throws IOException {
        try {
            return sftp.lstat(remote);
        } catch (IOException e) {
            if (SftpErrors.isMissing(e)) {
                return null;
            }
            throw e;
        }
    }

    /** {@link #lstat}, refusing a missing key whose listed name is not UTF-8 ({@link SftpUndecodableNames}). */
    private SftpClient.Attributes lstatNamed(SftpClient sftp, String key, String remote, String action)
            throws IOException {
        SftpClient.Attributes attributes = lstat(sftp, remote);
        if (attributes == null) {
            SftpUndecodableNames.refuse(sftp, location, key, action);
        }
        return attributes;
    }

    private static void removeQuietly(SftpClient sftp, String remote) {
        try {
            sftp.remove(remote);
        } catch (IOException | RuntimeException ignored) {
            // the original failure is the one to report
        }
    }

    private <T> T call(String path, Operation<T> operation) {
        SftpConnections.Channel channel = connections.borrow();
        try {
            return operation.run(channel.sftp);
        } catch (IOException e) {
            throw SftpErrors.translate(e, connections.where(), path);
        } finally {
            connections.release(channel);
        }
    }

    /** A byte range of a remote file; closing it closes the file and gives the channel back. */
    private static final class RangeStream extends BoundedInputStream {
        private final Runnable release;

        RangeStream(InputStream in, long length, Runnable release) {
            super(in, length);
            this.release = release;
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
            } finally {
                release.run();
            }
        }
    }
}
