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
 * @param listedMissing keys of the {@code --files-from} list that the source lacks (nothing is copied for them)
 * @param listedMissingShown the first few of them, each quoted
 * @param metadataCount objects with the same bytes on both sides whose target gets the source's descriptive attributes
 *                      (content type, headers, user metadata, kept modification time), not counted in
 *                      {@code sameCount}; their bytes are not sent where the target can update attributes in place
 * @param metadataBytes their bytes
 */
public record PlanSummary(long copyCount, long copyBytes, long replaceCount, long replaceBytes, long deleteCount,
        long deleteBytes, long sameCount, long sameBytes, long sourceCount, long targetCount, long listedMissing,
        java.util.List<String> listedMissingShown, long metadataCount, long metadataBytes) {

    public PlanSummary {
        listedMissingShown = java.util.List.copyOf(listedMissingShown);
    }

    /** Counts of a plan without metadata updates. */
    public PlanSummary(long copyCount, long copyBytes, long replaceCount, long replaceBytes, long deleteCount,
            long deleteBytes, long sameCount, long sameBytes, long sourceCount, long targetCount, long listedMissing,
            java.util.List<String> listedMissingShown) {
        this(copyCount, copyBytes, replaceCount, replaceBytes, deleteCount, deleteBytes, sameCount, sameBytes,
                sourceCount, targetCount, listedMissing, listedMissingShown, 0, 0);
    }

    /** Counts of a plan without a {@code --files-from} list. */
    public PlanSummary(long copyCount, long copyBytes, long replaceCount, long replaceBytes, long deleteCount,
            long deleteBytes, long sameCount, long sameBytes, long sourceCount, long targetCount) {
        this(copyCount, copyBytes, replaceCount, replaceBytes, deleteCount, deleteBytes, sameCount, sameBytes,
                sourceCount, targetCount, 0, java.util.List.of());
    }

    /**
     * What a plan, a run's summary and its report say of {@link #listedMissing()}, or {@code null} when no listed key
     * is missing.
     */
    public String listedMissingText(String source) {
        if (listedMissing == 0) {
            return null;
        }
        return listedMissing + (listedMissing == 1 ? " key" : " keys") + " of the --files-from list "
                + (listedMissing == 1 ? "is" : "are") + " not on " + source + ", so nothing is copied for "
                + (listedMissing == 1 ? "it" : "them") + " (a sync deletes the target's object of a listed key the"
                + " source lacks): " + String.join(", ", listedMissingShown)
                + (listedMissing > listedMissingShown.size() ? ", ..." : "");
    }

    public long transferCount() {
        return copyCount + replaceCount;
    }

    public long transferBytes() {
        return copyBytes + replaceBytes;
    }
}
