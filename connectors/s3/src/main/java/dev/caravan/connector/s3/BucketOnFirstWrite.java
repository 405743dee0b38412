package dev.caravan.connector.s3;

/**
 * The bucket of a store opened with {@code createBucket=true} while it did not exist: created by the store's first
 * write, so that a plan, a dry run or a verification creates nothing; until then the store reads as empty. Thread-safe.
 */
final class BucketOnFirstWrite {
    /** A bucket that existed when the store was opened. */
    static final BucketOnFirstWrite EXISTING = new BucketOnFirstWrite(null);

    private final S3ObjectStore store;
    private volatile boolean missing;

    BucketOnFirstWrite(S3ObjectStore store) {
        this.store = store;
        this.missing = store != null;
    }

    /** Creates the bucket if it is still missing; once. */
    void ensure() {
        if (!missing) {
            return;
        }
        synchronized (this) {
            if (missing) {
                S3Clients.createBucket(store);
                missing = false;
            }
        }
    }

    /** Whether the bucket is still missing (asked again each time: another writer may have created it meanwhile). */
    boolean stillMissing() {
        if (!missing) {
            return false;
        }
        synchronized (this) {
            if (missing && S3Clients.checkBucket(store)) {
                missing = false;
            }
            return missing;
        }
    }
}
