package dev.caravan.api.journal;

import java.util.Map;

/**
 * What a finished task did.
 *
 * @param bytes  bytes (or rows) moved by this attempt
 * @param values facts worth keeping, keys prefixed by their owner ({@code hash.sha256}, {@code verify.method})
 */
public record TaskReport(long bytes, Map<String, String> values) {
    public TaskReport {
        values = Map.copyOf(values);
    }
}
