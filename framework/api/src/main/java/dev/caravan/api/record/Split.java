package dev.caravan.api.record;

/**
 * A non-overlapping key range of a source, read by one task. Bounds are the string form of the key; a
 * {@code null} bound is open.
 *
 * @param id         stable id within the source (part of the task id)
 * @param lowerBound exclusive lower key bound, or {@code null}
 * @param upperBound inclusive upper key bound, or {@code null}
 */
public record Split(String id, String lowerBound, String upperBound) {
    public static Split whole() {
        return new Split("all", null, null);
    }
}
