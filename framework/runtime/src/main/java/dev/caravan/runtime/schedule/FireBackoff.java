package dev.caravan.runtime.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The backoff of a schedule whose fires are refused as bad input (a wrong password, an unknown host key, a missing
 * directory: configuration the next fire cannot fix by itself). Repeating such a fire at full rate only repeats the
 * refusal, and against a server that bans clients after a few failed logins (fail2ban) it gets the client banned.
 * So, as Kubernetes restarts a crashing container: after the n-th refused fire in a row the schedule's fires are
 * skipped for {@code min(1 min * 2^(n-1), 1 h)} from the end of that fire (1, 2, 4, ... 60 minutes), then the next
 * regular fire time tries again; any fire that is not refused (a success, or a run that failed for another reason)
 * ends the backoff. Fire times farther apart than the pause are never skipped. Stateless; the fires it reads are
 * the ones {@code caravan serve} records in the journal database, so a group of workers and a restarted serve keep
 * the same backoff.
 */
public final class FireBackoff {
    /** The outcome recorded for a fire whose run was refused as bad input. */
    public static final String REFUSED = "REFUSED";
    /** The pause after the first refused fire; doubled for each further one in a row. */
    public static final Duration FIRST = Duration.ofMinutes(1);
    /** The longest pause. */
    public static final Duration MAX = Duration.ofHours(1);
    /** How many of the latest fires tell the backoff: enough to reach {@link #MAX}. */
    public static final int HISTORY = 8;

    private FireBackoff() {
    }

    /**
     * The end of a finished fire, for {@link #resumeAt}.
     *
     * @param outcome  its recorded outcome
     * @param finished when it ended
     */
    public record Fire(String outcome, Instant finished) {
    }

    /** The pause after {@code refusedInARow} refused fires in a row; zero for none. */
    public static Duration pause(int refusedInARow) {
        if (refusedInARow <= 0) {
            return Duration.ZERO;
        }
        Duration p = FIRST.multipliedBy(1L << Math.min(refusedInARow - 1, 20));
        return p.compareTo(MAX) > 0 ? MAX : p;
    }

    /** How many of the fires, latest first, were refused in a row (at most {@link #HISTORY}). */
    public static int refusedInARow(List<Fire> latestFirst) {
        int n = 0;
        for (Fire f : latestFirst) {
            if (!REFUSED.equals(f.outcome()) || n == HISTORY) {
                break;
            }
            n++;
        }
        return n;
    }

    /**
     * Until when the schedule's fires are skipped, given its finished fires, latest first; {@code null} when it is
     * not backing off (its latest fire was not refused).
     */
    public static Instant resumeAt(List<Fire> latestFirst) {
        int n = refusedInARow(latestFirst);
        return n == 0 ? null : latestFirst.get(0).finished().plus(pause(n));
    }
}
