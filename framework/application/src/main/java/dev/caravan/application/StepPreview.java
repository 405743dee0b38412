package dev.caravan.application;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a dry run of one step found.
 *
 * @param figures  counts and bytes the step would move
 * @param checks   preflight results, one line each ({@code OK ...}, {@code WARN ...}, {@code FAIL ...})
 * @param forecast estimated duration of the warm pass, or {@code null} when the step cannot tell
 */
public record StepPreview(Map<String, Object> figures, List<String> checks, Duration forecast) {
    public StepPreview {
        figures = Map.copyOf(figures);
        checks = List.copyOf(checks);
    }

    /** Whether a check failed. */
    public boolean failed() {
        return checks.stream().anyMatch(c -> c.startsWith("FAIL"));
    }
}
