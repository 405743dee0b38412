package dev.caravan.api.store;

/**
 * A store whose writes leave holes instead of sending zeros: every block of {@link #holeBlock()} bytes at an offset
 * that is a multiple of it and holds only zeros costs no transfer (the SFTP store skips it, and the server's file
 * gets a hole). The engine's bandwidth limit does not charge such blocks, so a sparse disk image is limited by its
 * data, not by its size. Fallback when absent: every byte is charged.
 */
public interface SparseWrite extends StoreCapability {
    /** The block, in bytes, that must be all zeros at an offset that is a multiple of it to be left as a hole. */
    int holeBlock();
}
