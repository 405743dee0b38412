package dev.caravan.core.plan;

/**
 * Counts of what a plan would do.
 *
 * @param copyCount    objects missing on the target
 * @param copyBytes    their bytes
 * @param replaceCount objects that differ and would be replaced
 * @param replaceBytes their bytes
 * @param deleteCount  target objects that would be deleted (sync) or source objects removed (move)
 * @param deleteBytes  their bytes
 * @param sameCount    objects already matching
 * @param sameBytes    their bytes
 * @param sourceCount  source objects listed after filters
 * @param targetCount  target objects listed after filters
 */
public record PlanSummary(long copyCount, long copyBytes, long replaceCount, long replaceBytes, long deleteCount,
        long deleteBytes, long sameCount, long sameBytes, long sourceCount, long targetCount) {

    public long transferCount() {
        return copyCount + replaceCount;
    }

    public long transferBytes() {
        return copyBytes + replaceBytes;
    }
}
