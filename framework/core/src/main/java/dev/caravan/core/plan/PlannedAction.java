package dev.caravan.core.plan;

/**
 * One line of a plan as shown to a user.
 *
 * @param action COPY, REPLACE, DELETE or SAME
 * @param key    object key
 * @param size   bytes
 * @param reason why (e.g. "missing on target", "size 10 != 12")
 */
public record PlannedAction(String action, String key, long size, String reason) {
}
