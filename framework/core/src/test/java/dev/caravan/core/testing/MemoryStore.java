package dev.caravan.core.testing;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.FileTreeClashException;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ArchivedObjects;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.KeyNotes;
import dev.caravan.api.store.MetadataCheck;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.SkippedEntries;
import dev.caravan.api.store.StoreCapability;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.Rename;
import dev.caravan.api.store.StoreFeatures;
import dev.caravan.api.store.TagWrite;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An in-memory object store for framework unit tests (never for connector tests). Named stores are shared
 * through {@link #named}; faults can be injected: every Nth put fails transiently, or puts corrupt a byte.
 */
public final class MemoryStore implements ObjectStore, Rename {
    private static final Map<String, MemoryStore> NAMED = new ConcurrentHashMap<>();

    /** A stored object. */
    public record Blob(byte[] data, Instant modTime) {
    }

    private final String name;
    private final ConcurrentSkipListMap<String, Blob> objects = new ConcurrentSkipListMap<>(ObjectKeys.ORDER);
    public final AtomicInteger puts = new AtomicInteger();
    public final AtomicInteger deletes = new AtomicInteger();
    /** Calls of {@link #open}. */
    public final AtomicInteger opens = new AtomicInteger();
    /** Calls of {@link #stat}. */
    public final AtomicInteger stats = new AtomicInteger();
    public volatile int failEveryNthPut;
    /** Puts of keys that start with this are refused (FATAL, like a permission error); {@code null}: none. */
    public volatile String refusePutsOf;
    /** The key of every put, in the order they came (refused ones too). */
    public final java.util.Queue<String> putKeys = new java.util.concurrent.ConcurrentLinkedQueue<>();
    public volatile boolean corruptPuts;
    /** Keys containing this cannot be held ({@link #keyProblem}; their puts are refused); {@code null}: none. */
    public volatile String unholdable;
    /** What {@link #rootIsAnObject} answers (a location naming one object, as s3:bucket/file.txt). */
    public volatile boolean rootIsAnObject;
    /** What this store's {@link SkippedEntries} capability reports as left out by its listings. */
    public final KeyNotes skipped = new KeyNotes();
    /** Directories (key prefixes ending in '/') the listings could not read; see {@link #unreadableDirectory}. */
    public final KeyNotes unlisted = new KeyNotes();
    /** A key prefix ({@code locked/}) whose objects listings leave out, noting it unlisted, as an unreadable directory. */
    public volatile String unreadableDirectory;
    /** What this store's {@link ArchivedObjects} capability reports as seen in an archive tier. */
    public final KeyNotes archived = new KeyNotes();
    /** This many reads to come fail at the end of their bytes, as a local file's does when it changed meanwhile. */
    public final java.util.concurrent.atomic.AtomicInteger changedAtEndOfReads =
            new java.util.concurrent.atomic.AtomicInteger();
    /** A put of a known size reads only that many bytes (as an S3 PUT does), never the end of its stream. */
    public volatile boolean putsReadOnlyTheSize;
    /** What {@link #isFileTree} answers; then a put of {@code a} beside {@code a/b} fails as a file system's would. */
    public volatile boolean fileTree;
    /** What {@link #probeWrite} says it left behind (as an S3 probe whose abort was refused); {@code null}: none. */
    public volatile String probeNote;
    /** The keys of {@link #putKeys} without the write probes' ({@link #isProbe}), in the order they came. */
    public java.util.List<String> copiedKeys() {
        return putKeys.stream().filter(k -> !isProbe(k)).toList();
    }

    /** Whether {@code key} is one a run's write probe puts ({@code .caravan-probe-...}), not a copy's. */
    public static boolean isProbe(String key) {
        return key.startsWith(".caravan-probe-");
    }

    /** Called with the key at the start of each put, in the putting thread. */
    public volatile java.util.function.Consumer<String> beforePut = key -> { };
    /** Called with the key at the start of each delete, in the deleting thread. */
    public volatile java.util.function.Consumer<String> beforeDelete = key -> { };
    /** Descriptive attributes this store keeps (none by default, like a plain file system). */
    public volatile Set<MetadataKind> keeps = Set.of();
    /** Its {@link MetadataCheck}, or {@code null} for none. */
    public volatile MetadataCheck check;
    /** The attributes of each object (as the last put asked, or as added), by key. */
    public final Map<String, PutRequest> attributes = new ConcurrentHashMap<>();
    /**
     * Whether it offers {@link dev.caravan.api.store.AttributeWrite} (which keeps tags) and {@link TagWrite}; counted
     * in {@link #attributeWrites} and {@link #tagWrites}.
     */
    public volatile boolean writesAttributes;
    public final AtomicInteger attributeWrites = new AtomicInteger();
    public final AtomicInteger tagWrites = new AtomicInteger();
    /** Whether its listings leave descriptive attributes out (as local files' do), only {@code stat} tells them. */
    public volatile boolean listsWithoutAttributes;
    /** Whether its listings leave tags out (as S3's do), only {@code stat} tells them. */
    public volatile boolean listsWithoutTags;

    public MemoryStore(String name) {
        this.name = name;
    }

    public static MemoryStore named(String name) {
        return NAMED.computeIfAbsent(name, MemoryStore::new);
    }

    public static void reset() {
        NAMED.clear();
    }

    public Map<String, Blob> objects() {
        return objects;
    }

    /**
     * Forgets every named store, then fills {@code mem:src} with {@link #addNumbered} objects; returns the (empty)
     * {@code mem:dst}.
     */
    public static MemoryStore resetWithNumbered(int count) {
        reset();
        named("src").addNumbered(count);
        return named("dst");
    }

    /** Adds {@code count} small objects, {@code obj-0} holding "value 0" and so on, modified at the epoch. */
    public void addNumbered(int count) {
        for (int i = 0; i < count; i++) {
            add("obj-" + i, ("value " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), Instant.EPOCH);
        }
    }

    public void add(String key, byte[] data, Instant modTime) {
        objects.put(key, new Blob(data, modTime));
    }

    /** Adds an object with descriptive attributes (taken from {@code attrs}, whatever {@link #keeps} says). */
    public void add(String key, byte[] data, Instant modTime, PutRequest attrs) {
        objects.put(key, new Blob(data, modTime));
        attributes.put(key, attrs);
    }


    @Override
    public boolean listsAttributes() {
        return !listsWithoutAttributes;
    }

    @Override
    public boolean listsTags() {
        return !listsWithoutAttributes && !listsWithoutTags;
    }

    @Override
    public <C extends StoreCapability> Optional<C> capability(Class<C> type) {
        if (type == MetadataCheck.class) {
            return Optional.ofNullable(check).map(type::cast);
        }
        if (type == SkippedEntries.class) {
            return Optional.of(type.cast(new SkippedEntries() {
                @Override
                public KeyNotes skipped() {
                    return skipped;
                }

                @Override
                public KeyNotes unlisted() {
                    return unlisted;
                }
            }));
        }
        if (type == dev.caravan.api.store.AttributeWrite.class && writesAttributes) {
            return Optional.of(type.cast((dev.caravan.api.store.AttributeWrite) this::replaceAttributes));
        }
        if (type == TagWrite.class && writesAttributes) {
            return Optional.of(type.cast((TagWrite) this::replaceTags));
        }
        if (type == ArchivedObjects.class) {
            return Optional.of(type.cast((ArchivedObjects) () -> archived));
        }
        return ObjectStore.super.capability(type);
    }

    public byte[] bytes(String key) {
        Blob b = objects.get(key);
        return b == null ? null : b.data();
    }

    @Override
    public String uri() {
        return "mem:" + name;
    }

    @Override
    public StoreFeatures features() {
        return new StoreFeatures(Set.of(), Duration.ofMillis(1), true, false, false, false, keeps);
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        String unreadable = unreadableDirectory;
        boolean[] noted = {false};
        return objects.tailMap(prefix, true).entrySet().stream()
                .takeWhile(e -> e.getKey().startsWith(prefix))
                .filter(e -> {
                    if (unreadable == null || !e.getKey().startsWith(unreadable)) {
                        return true;
                    }
                    if (!noted[0]) {
                        noted[0] = true;
                        unlisted.add(unreadable, "permission denied");
                    }
                    return false;
                })
                .map(e -> listsWithoutAttributes ? ObjectInfo.of(e.getKey(), e.getValue().data().length,
                        e.getValue().modTime()) : listed(info(e.getKey(), e.getValue())));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        ObjectKeys.requireSafe(key);
        stats.incrementAndGet();
        Blob b = objects.get(key);
        return b == null ? Optional.empty() : Optional.of(info(key, b));
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        ObjectKeys.requireSafe(key);
        Blob b = objects.get(key);
        if (b == null) {
            throw MigrationException.notFound("no object " + key + " in " + uri());
        }
        int from = (int) Math.min(range.offset(), b.data().length);
        int to = range.length() < 0 ? b.data().length : (int) Math.min(b.data().length, from + range.length());
        opens.incrementAndGet();
        InputStream in = new ByteArrayInputStream(b.data(), from, to - from);
        return changedAtEndOfReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? new ChangedAtEnd(in, key, to - from)
                : in;
    }

    /** {@code size} bytes, never asking for more (readNBytes may read the end of a stream). */
    private static byte[] readExactly(InputStream in, int size) throws IOException {
        byte[] bytes = new byte[size];
        for (int at = 0, n; at < size; at += n) {
            n = in.read(bytes, at, size - at);
            if (n < 0) {
                throw new IOException("the stream ended after " + at + " of " + size + " bytes");
            }
        }
        return bytes;
    }

    /**
     * A stream whose end is an IOException, as is its close after every byte was read: the object changed while it
     * was read (as the local store's stream says).
     */
    private static final class ChangedAtEnd extends java.io.FilterInputStream {
        private final String key;
        private final long length;
        private long count;

        ChangedAtEnd(InputStream in, String key, long length) {
            super(in);
            this.key = key;
            this.length = length;
        }

        @Override
        public int read() throws IOException {
            int b = atEnd(super.read());
            count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = atEnd(super.read(b, off, len));
            count += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            super.close();
            if (count >= length) {
                throw new IOException(key + " changed while it was read");
            }
        }

        private int atEnd(int n) throws IOException {
            if (n < 0) {
                throw new IOException(key + " changed while it was read");
            }
            return n;
        }
    }

    @Override
    public Optional<String> probeWrite(String key) {
        ObjectStore.super.probeWrite(key);
        return Optional.ofNullable(probeNote);
    }

    @Override
    public boolean rootIsAnObject() {
        return rootIsAnObject;
    }

    @Override
    public String keyProblem(String key) {
        String problem = ObjectKeys.problem(key);
        String refused = unholdable;
        return problem == null && refused != null && key.contains(refused) ? "this store holds no '" + refused + "'"
                : problem;
    }

    @Override
    public boolean isFileTree() {
        return fileTree;
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        String problem = keyProblem(key);
        if (problem != null) {
            throw MigrationException.userData("refusing key '" + key + "': " + problem);
        }
        beforePut.accept(key);
        int n = puts.incrementAndGet();
        putKeys.add(key);
        String refused = refusePutsOf;
        if (refused != null && key.startsWith(refused)) {
            throw new MigrationException(ErrorKind.FATAL, "access denied to " + key);
        }
        byte[] bytes;
        try {
            bytes = putsReadOnlyTheSize && request.size() >= 0 ? readExactly(data, (int) request.size())
                    : data.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (failEveryNthPut > 0 && n % failEveryNthPut == 0) {
            throw new MigrationException(ErrorKind.TRANSIENT, "injected failure on put " + n);
        }
        if (corruptPuts && bytes.length > 0) {
            bytes[0] ^= 1;
        }
        Blob blob = new Blob(bytes, request.modTime() == null ? Instant.now() : request.modTime());
        synchronized (objects) { // a file tree's check and write are one step, as a file system's are
            if (fileTree) {
                refuseClash(key);
            }
            objects.put(key, blob);
        }
        attributes.put(key, request);
        return info(key, blob);
    }

    /** As a file tree: no object may be a folder of this key, nor have its name as one of its folders. */
    private void refuseClash(String key) {
        String under = objects.ceilingKey(key + "/");
        if (under != null && under.startsWith(key + "/")) {
            throw new FileTreeClashException(key, "is a directory", null);
        }
        for (int slash = key.indexOf('/'); slash > 0; slash = key.indexOf('/', slash + 1)) {
            if (objects.containsKey(key.substring(0, slash))) {
                throw new FileTreeClashException(key.substring(0, slash), "not a directory", null);
            }
        }
    }

    @Override
    public void delete(String key) {
        ObjectKeys.requireSafe(key);
        beforeDelete.accept(key);
        deletes.incrementAndGet();
        objects.remove(key);
        attributes.remove(key);
    }

    @Override
    public void rename(String fromKey, String toKey) {
        synchronized (objects) {
            if (fileTree && objects.containsKey(fromKey)) {
                refuseClash(toKey);
            }
            Blob b = objects.remove(fromKey);
            if (b == null) {
                throw MigrationException.notFound("no object " + fromKey);
            }
            objects.put(toKey, b);
        }
        PutRequest a = attributes.remove(fromKey);
        if (a != null) {
            attributes.put(toKey, a);
        }
    }

    private void replaceAttributes(String key, PutRequest request) {
        Blob b = objects.get(key);
        if (b == null) {
            throw MigrationException.notFound("no object " + key + " in " + uri());
        }
        attributeWrites.incrementAndGet();
        if (request.modTime() != null) {
            objects.put(key, new Blob(b.data(), request.modTime()));
        }
        PutRequest held = attributes.get(key);
        attributes.put(key, request.withAttributes(request.contentType(), request.headers(), request.metadata(),
                held == null ? Map.of() : held.tags()));
    }

    private void replaceTags(String key, Map<String, String> tags) {
        if (!objects.containsKey(key)) {
            throw MigrationException.notFound("no object " + key + " in " + uri());
        }
        tagWrites.incrementAndGet();
        PutRequest a = attributes.getOrDefault(key, PutRequest.ofSize(-1));
        attributes.put(key, a.withAttributes(a.contentType(), a.headers(), a.metadata(), tags));
    }

    private ObjectInfo listed(ObjectInfo info) {
        return listsWithoutTags ? info.withAttributes(info.contentType(), info.headers(), info.metadata(), Map.of())
                : info;
    }

    private ObjectInfo info(String key, Blob b) {
        ObjectInfo plain = ObjectInfo.of(key, b.data().length, b.modTime());
        PutRequest a = attributes.get(key);
        return a == null ? plain : plain.withAttributes(a.contentType(), a.headers(), a.metadata(), a.tags());
    }
}
