package dev.caravan.api.journal;

import java.util.Map;

/**
 * Resume state of a task: a small map whose keys carry the owning component's prefix ({@code s3.uploadId},
 * {@code jdbc.lastKey}); reading it back is that component's job.
 */
public record Checkpoint(Map<String, String> values) {
    public static final Checkpoint EMPTY = new Checkpoint(Map.of());

    public Checkpoint {
        values = Map.copyOf(values);
    }

    public String get(String key) {
        return values.get(key);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
