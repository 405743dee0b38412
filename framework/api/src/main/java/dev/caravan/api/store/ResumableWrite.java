package dev.caravan.api.store;

import java.io.InputStream;

/**
 * Continues a partially written object from an offset instead of writing it again from the start: the copy
 * pipeline resumes an interrupted upload of a large object (a disk image over SFTP) by asking {@link ObjectStore#stat}
 * for the size of its temporary object, reading the source from that offset and calling {@link #writeFrom}.
 * The bytes before the offset are kept as they are; the caller is responsible for trusting them (by re-hashing
 * them, or by the size and time recorded in its journal).
 *
 * <p>Fallback when absent, or when {@link #writeFrom} throws
 * {@link dev.caravan.api.error.ErrorKind#UNSUPPORTED}: write the whole object again with {@link ObjectStore#put}.
 */
public interface ResumableWrite extends StoreCapability {
    /**
     * Writes {@code data} into {@code key} starting at byte {@code offset}: the object is first cut to
     * {@code offset} bytes (anything beyond is dropped), then the stream is appended, read to its end and not
     * closed. {@code offset == 0} is a put that creates the object. An offset beyond the current size is refused
     * with {@link dev.caravan.api.error.ErrorKind#USER_DATA}; a missing object with an offset above zero gives
     * {@link dev.caravan.api.error.ErrorKind#NOT_FOUND}. Modification time and mode of {@code request} are
     * applied at the end, as for a put.
     *
     * @param request what a put would get; {@link PutRequest#size()} is the size of the whole object or -1
     * @return what the store knows about the whole object afterwards
     */
    ObjectInfo writeFrom(String key, long offset, InputStream data, PutRequest request);
}
