package dev.caravan.api.store;

import java.util.List;

/**
 * Tells where an object holds data, so a copy of a sparse disk image or block device file sends only the data
 * and leaves the holes (runs of zero bytes) out. A byte outside every returned range reads as zero.
 *
 * <p>Fallback when absent: read the whole object; a target that writes sparse files (the local store) still
 * turns long runs of zeros back into holes, so only the transfer time is lost, not disk space.
 */
public interface SparseRead extends StoreCapability {
    /**
     * The data ranges of an object, in ascending order, non-overlapping, each with a known length (never
     * {@code -1}). A range may include some zero bytes (detection works in blocks); every byte outside the
     * ranges is zero. An object of only zeros gives an empty list. Missing objects give
     * {@link dev.caravan.api.error.ErrorKind#NOT_FOUND}.
     */
    List<ByteRange> dataRanges(String key);
}
