package dev.caravan.core.engine;

import java.time.Duration;

/**
 * A progress snapshot of a run, read from the journal.
 *
 * @param runId      the run
 * @param phase      what the run is doing
 * @param itemsDone  tasks finished (done, failed or skipped)
 * @param itemsTotal tasks planned
 * @param bytesDone  bytes of finished tasks plus checkpointed bytes of running ones
 * @param bytesTotal bytes planned
 * @param failed     tasks that failed
 * @param elapsed    time since the run started
 */
public record Progress(String runId, Phase phase, long itemsDone, long itemsTotal, long bytesDone, long bytesTotal,
        long failed, Duration elapsed) {

    /** Stages of a run. */
    public enum Phase {
        PLANNING, TRANSFERRING, DELETING, VERIFYING, DONE
    }

    /** Bytes per second since the start. */
    public double throughput() {
        double s = elapsed.toMillis() / 1000.0;
        return s <= 0 ? 0 : bytesDone / s;
    }

    /** Estimated time left from the throughput so far, or {@code null} when unknown. */
    public Duration eta() {
        double t = throughput();
        if (t <= 0 || bytesTotal <= 0) {
            return null;
        }
        return Duration.ofMillis((long) (Math.max(0, bytesTotal - bytesDone) / t * 1000));
    }
}
