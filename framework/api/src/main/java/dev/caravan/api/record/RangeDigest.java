package dev.caravan.api.record;

/**
 * Capability of a source that computes a row count and a digest of a key range itself (in SQL), so verification
 * does not stream the rows. Two digests are comparable only when both sides report the same
 * {@link #digestFlavor()} and the same column native types. Fallback when absent: the verifier reads the range
 * and hashes canonical rows.
 */
public interface RangeDigest extends RecordCapability {
    /** Names the digest algorithm and value rendering, e.g. {@code postgresql-md5-v1}. */
    String digestFlavor();

    /** Count and digest of the records of {@code range} (bounds as in {@link Split}). */
    Summary summarize(Split range);

    /**
     * What {@link #summarize} found.
     *
     * @param rows   number of records in the range
     * @param digest digest of the records; comparable between sources of the same flavor
     */
    record Summary(long rows, String digest) {
    }
}
