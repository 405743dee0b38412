package dev.caravan.api.verify;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of every outcome and the items that did not match (kept up to a limit so memory stays bounded).
 * Thread-safe.
 */
public final class VerificationReport {
    private final int keepProblems;
    private final Map<VerificationOutcome, Long> counts = new EnumMap<>(VerificationOutcome.class);
    private final List<VerificationItem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long droppedProblems;

    public VerificationReport(int keepProblems) {
        this.keepProblems = keepProblems;
    }

    public synchronized void add(VerificationItem item) {
        counts.merge(item.outcome(), 1L, Long::sum);
        if (!item.matches()) {
            if (problems.size() < keepProblems) {
                problems.add(item);
            } else {
                droppedProblems++;
            }
        }
    }

    public synchronized long count(VerificationOutcome outcome) {
        return counts.getOrDefault(outcome, 0L);
    }

    public synchronized long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** True when every item matched (an empty report is clean). */
    public synchronized boolean clean() {
        return total() == count(VerificationOutcome.MATCH);
    }

    public synchronized List<VerificationItem> problems() {
        return List.copyOf(problems);
    }

    /** Problems that were counted but not kept because of the limit. */
    public synchronized long droppedProblems() {
        return droppedProblems;
    }

    public synchronized Map<VerificationOutcome, Long> counts() {
        return Map.copyOf(counts);
    }

    /** Notes what was not compared and why (a listing left out symbolic links): said with the result, not a failure. */
    public synchronized void warn(String warning) {
        warnings.add(warning);
    }

    /** What {@link #warn} noted, in order. */
    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }
}
