package dev.caravan.api.store;

import java.io.InputStream;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A rooted namespace of objects: a local directory, a bucket with a prefix, a container, an SFTP path. Keys are
 * relative to the root, {@code /}-separated, and must pass {@link ObjectKeys#requireSafe}; a store refuses any
 * other key with {@link dev.caravan.api.error.ErrorKind#USER_DATA}.
 *
 * <p>Implementations are thread-safe: the runner calls them from several transfers at once. Failures are
 * {@link dev.caravan.api.error.MigrationException}s with a kind the runner can act on.
 */
public interface ObjectStore extends AutoCloseable {

    /** The location this store was opened on, e.g. {@code local:/data}; never contains secrets. */
    String uri();

    StoreFeatures features();

    /**
     * Lists every object whose key starts with {@code prefix} (empty for all), recursively, sorted by
     * {@link ObjectKeys#ORDER}. The stream is lazy (never a list in memory) and must be closed. Directories are
     * not objects. A missing root gives {@link dev.caravan.api.error.ErrorKind#NOT_FOUND}.
     */
    Stream<ObjectInfo> list(String prefix);

    /** The object's info, or empty when it does not exist. */
    Optional<ObjectInfo> stat(String key);

    /** Opens the bytes of an object (or of a range of it). Missing objects give {@code NOT_FOUND}. */
    InputStream open(String key, ByteRange range);

    /**
     * Writes an object from a stream, replacing any existing one. The stream is read to its end and not closed.
     * With {@link StoreFeatures#atomicPut()} false, a reader may see a partial object while this runs, so the
     * copy pipeline writes to a temporary key and {@link Rename renames} it.
     *
     * @return what the store knows about the written object (size, time, hashes it computed)
     */
    ObjectInfo put(String key, InputStream data, PutRequest request);

    /** Deletes an object; deleting a missing object is not an error. */
    void delete(String key);

    /** An optional capability, or empty when the store lacks it (the capability names the fallback). */
    default <C extends StoreCapability> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /**
     * Write access check for preflight: proves credentials, permissions and a writable root before any real write,
     * with {@code key}, a name no object has. Default: put then delete an empty object under {@code key} (local, SFTP,
     * whose copies need delete anyway for their temporary names). A store with atomic puts overrides it so that
     * credentials that may write but not delete pass and nothing is left visible (S3: a multipart upload started and
     * aborted; Azure: a block staged and never committed).
     *
     * @return what the probe had to leave behind, in words a user can act on (what it is, the permission that would
     *         have removed it, how to remove it), for the run's report; empty when it left nothing. A refusal to
     *         write throws instead
     */
    default Optional<String> probeWrite(String key) {
        put(key, InputStream.nullInputStream(), PutRequest.ofSize(0));
        delete(key);
        return Optional.empty();
    }

    /**
     * Whether the location names one object ({@code s3:bucket/report.pdf}) rather than a folder of them: such a
     * source lists nothing, and the engine then says how to copy that object instead of finishing with nothing
     * done. Asked only after an empty listing. Default: false.
     */
    default boolean rootIsAnObject() {
        return false;
    }

    /**
     * Where the store's objects live, to tell whether two stores overlap (one's root is the other's or lies inside
     * it), which a copy, sync or move refuses: by default {@link #uri()}. For two stores to overlap the parts after a
     * {@code ?} must be equal; before it, {@code /} separates levels. The local store gives the real path of its
     * root, so a root reached through a symbolic link is seen.
     */
    default String rootLocation() {
        return uri();
    }

    /**
     * Why this store cannot hold an object at {@code key}, or {@code null} when it can: the rules of
     * {@link ObjectKeys#problem} and the store's own (Azure Blob turns a backslash into {@code /}). A plan asks
     * before anything is written, so a dry run names every such object; the copy of each then fails with this
     * reason. A store that overrides it refuses the same keys in every operation.
     */
    default String keyProblem(String key) {
        return ObjectKeys.problem(key);
    }

    /**
     * Whether keys are paths in a file tree, where a name is either a file or a directory: {@code a} and {@code a/b}
     * cannot both exist (an object store holds both). A plan to such a target names the keys that would clash, since
     * the copy of one of each pair fails. Default: false.
     */
    default boolean isFileTree() {
        return false;
    }

    /**
     * The content type this store reports for an object at {@code key} that has none stored (one it infers from the
     * name, see {@link ContentTypes}), or {@code null} when it infers none. A copy leaves such a type out of the put
     * rather than storing it (or noting it as not kept), since the target reports it anyway. Default: none.
     */
    default String impliedContentType(String key) {
        return null;
    }

    /**
     * Whether {@link #list} gives each object's descriptive attributes (content type, content headers, user metadata)
     * as {@link #stat} does. When it does not (local files: no extended attributes in a listing), comparing them costs
     * a stat per object, which a rerun makes only where the listed times say an object was touched, or with
     * {@code --compare checksum}. Default: false.
     */
    default boolean listsAttributes() {
        return false;
    }

    /**
     * Whether {@link #list} gives each object's tags ({@link ObjectInfo#tags()}) as {@link #stat} does, without a
     * request per object (Azure: List Blobs with {@code include=tags}). When it does not (S3: ListObjectsV2 has no
     * tags), a listed object's empty tags say nothing, and a rerun compares tags only of objects it stats anyway.
     * Meaningful only for a store that keeps {@link MetadataKind#TAGS}. Default: false.
     */
    default boolean listsTags() {
        return false;
    }

    /** Free bytes at the root, or empty when the store cannot tell (object stores). */
    default Optional<Long> freeSpace() {
        return Optional.empty();
    }

    @Override
    default void close() {
    }
}
