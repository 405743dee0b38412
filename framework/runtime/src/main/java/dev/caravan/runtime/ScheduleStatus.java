package dev.caravan.runtime;

import java.time.Instant;

/**
 * What {@code caravan status} shows of one schedule of a {@code caravan serve} group, read from the journal
 * database.
 *
 * @param name          the schedule (its route id)
 * @param trigger       what fires it, with time zone, blackout and timetable
 * @param nextFire      next fire time as the scheduler last reported it, or {@code null} (never again, or unknown)
 * @param updatedAt     when a worker last reported it
 * @param fires         how many fires are recorded
 * @param lastScheduled the scheduled time of the last fire, or {@code null} when it never fired
 * @param lastFired     when the last fire actually started
 * @param lastWorker    the worker that ran the last fire
 * @param lastRunId     the journal run of the last fire, or {@code null}
 * @param lastFinished  when the last fire ended, or {@code null} while it runs
 * @param lastOutcome   COMPLETE, FAILED, VERIFICATION_FAILED, ABORTED, STOPPED, ERROR, REFUSED (bad input), or
 *                      {@code null} while it runs
 * @param lastObjects   objects copied by the last fire (this worker's share in a shared run)
 * @param lastBytes     bytes copied by the last fire
 * @param lastError     the error of a failed fire, or {@code null}
 * @param refusedInARow how many of the latest fires in a row were refused as bad input (0 when the last one was not)
 * @param backoffUntil  until when the fires of this schedule are skipped because of those refusals
 *                      ({@link dev.caravan.runtime.schedule.FireBackoff}), or {@code null}
 * @param stoppedAt     when the worker that last reported the schedule stopped cleanly, or {@code null} while it
 *                      serves it (or when it died without a clean stop: {@code updatedAt} then grows old)
 */
public record ScheduleStatus(String name, String trigger, Instant nextFire, Instant updatedAt, long fires,
        Instant lastScheduled, Instant lastFired, String lastWorker, String lastRunId, Instant lastFinished,
        String lastOutcome, long lastObjects, long lastBytes, String lastError, int refusedInARow,
        Instant backoffUntil, Instant stoppedAt) {
}
