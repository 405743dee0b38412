package dev.caravan.api.vm;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a running domain's disk moves (block copy, then pivot). Give {@code destinationPath}, or
 * {@code destinationPool} (the volume then keeps its file name in that pool).
 *
 * @param disk                 guest device, e.g. {@code vda}
 * @param destinationPath      absolute path of the new image on the same host, or {@code null}
 * @param destinationPool      storage pool for the new image, or {@code null}
 * @param format               image format of the copy, or {@code null} for the disk's current format
 * @param bandwidthBytesPerSec copy limit, {@code 0} for none
 * @param timeout              abort the copy after this long (the disk stays where it was), or {@code null}
 * @param deleteSource         delete the old image after the pivot
 */
public record StorageMoveOptions(String disk, String destinationPath, String destinationPool, String format,
        long bandwidthBytesPerSec, Duration timeout, boolean deleteSource) {
    public StorageMoveOptions {
        Objects.requireNonNull(disk, "disk");
        if ((destinationPath == null) == (destinationPool == null)) {
            throw new IllegalArgumentException("give exactly one of destinationPath and destinationPool");
        }
        if (bandwidthBytesPerSec < 0) {
            throw new IllegalArgumentException("bandwidth must not be negative");
        }
    }

    /** Moves {@code disk} to {@code path}, no limit, no timeout, old image kept. */
    public static StorageMoveOptions toPath(String disk, String path) {
        return new StorageMoveOptions(disk, path, null, null, 0, null, false);
    }

    /** Moves {@code disk} into {@code pool}, no limit, no timeout, old image kept. */
    public static StorageMoveOptions toPool(String disk, String pool) {
        return new StorageMoveOptions(disk, null, pool, null, 0, null, false);
    }
}
