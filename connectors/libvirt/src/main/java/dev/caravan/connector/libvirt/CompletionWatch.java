package dev.caravan.connector.libvirt;

import dev.caravan.api.vm.LiveMigrationOptions.TimeoutAction;
import java.time.Duration;

/**
 * What a live migration's poll loop does next about its completion timeout and about abort requests, decided from
 * the clock and two facts alone (so it is tested without libvirt). After the deadline: the timeout action; an abort
 * is asked again on every poll and, like an abort on request, may take {@code grace} to stop the job before the loop
 * gives up waiting; a suspend or post-copy switch runs to its end once libvirt has accepted it, and gives way to an
 * abort when libvirt has not accepted it within {@code grace} of the deadline. Not thread-safe: one poll loop.
 */
final class CompletionWatch {
    /** The poll loop's next step. */
    enum Step {
        /** Nothing to do but poll again. */
        WAIT,
        /** Ask libvirt for the timeout action (suspend or post-copy) once more. */
        TIMEOUT_ACTION,
        /** Ask libvirt to abort the job (again). */
        ABORT,
        /** The job did not stop within the grace of its abort: stop waiting for it. */
        GIVE_UP
    }

    private final Long deadline;
    private final TimeoutAction action;
    private final long grace;
    private long giveUpAt = Long.MAX_VALUE;
    private boolean timedOut;
    private boolean actionGaveUp;

    /**
     * @param deadline the completion deadline in {@link System#nanoTime} terms, {@code null} for none
     * @param action   what the timeout does
     * @param grace    how long an aborted job may take to stop, and a timeout action to be accepted
     */
    CompletionWatch(Long deadline, TimeoutAction action, Duration grace) {
        this.deadline = deadline;
        this.action = action;
        this.grace = grace.toNanos();
    }

    /**
     * The step after a poll at {@code now}.
     *
     * @param actionTaken    whether libvirt has accepted the timeout action (suspend, post-copy switch)
     * @param abortRequested whether someone asked to abort the migration
     */
    Step next(long now, boolean actionTaken, boolean abortRequested) {
        Step step = Step.WAIT;
        if (deadline != null && now - deadline > 0) {
            if (!timedOut && action == TimeoutAction.ABORT) {
                giveUpAt = now + grace;
            }
            timedOut = true;
            if (!actionTaken && action != TimeoutAction.ABORT && now - deadline > grace) {
                actionGaveUp = true;
                giveUpAt = Math.min(giveUpAt, now + grace);
            }
            step = action == TimeoutAction.ABORT || actionGaveUp ? Step.ABORT
                    : actionTaken ? Step.WAIT : Step.TIMEOUT_ACTION;
        } else if (abortRequested) {
            giveUpAt = Math.min(giveUpAt, now + grace);
            step = Step.ABORT;
        }
        return now - giveUpAt > 0 ? Step.GIVE_UP : step;
    }

    /** Whether the deadline has passed at a poll. */
    boolean timedOut() {
        return timedOut;
    }

    /** Whether the timeout action was not accepted in time and the job is being aborted instead. */
    boolean actionGaveUp() {
        return actionGaveUp;
    }
}
