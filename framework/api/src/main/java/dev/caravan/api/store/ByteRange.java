package dev.caravan.api.store;

/**
 * A byte range of an object for {@link ObjectStore#open}.
 *
 * @param offset first byte, {@code >= 0}
 * @param length number of bytes, or {@code -1} for "to the end"
 */
public record ByteRange(long offset, long length) {
    public static final ByteRange ALL = new ByteRange(0, -1);

    public ByteRange {
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length);
        }
    }

    public static ByteRange from(long offset) {
        return new ByteRange(offset, -1);
    }
}
