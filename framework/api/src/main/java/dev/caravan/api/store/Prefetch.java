package dev.caravan.api.store;

/**
 * Starts loading an object that is about to be read whole, so that the read finds it ready: a local store reads the
 * file into the operating system's page cache, and the copy that opens it a moment later does not wait for the disk.
 * The engine calls it from one thread, a few objects ahead of the transfers that read them. A hint only: it never
 * throws, may ignore any object (too large, missing, not a regular file), and changes nothing a read returns.
 * Fallback when absent: objects are read when their transfer reaches them.
 */
public interface Prefetch extends StoreCapability {
    /** Loads {@code key}, expected to hold {@code size} bytes; returns when done or at once when ignored. */
    void prefetch(String key, long size);
}
