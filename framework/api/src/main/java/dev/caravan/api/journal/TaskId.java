package dev.caravan.api.journal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Deterministic task identity: the same source, target and unit always give the same id, so re-planning a
 * migration finds its finished work in the journal and skips it.
 *
 * @param value 32 lower-case hex characters
 */
public record TaskId(String value) {
    public TaskId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Derives the id of a unit of work.
     *
     * @param source source location (no secrets)
     * @param target target location (no secrets)
     * @param unit   what is moved, including its version, e.g. {@code copy:a/b.txt:1234:1700000000000}
     */
    public static TaskId of(String source, String target, String unit) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {source, target, unit}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return new TaskId(HexFormat.of().formatHex(sha.digest(), 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
