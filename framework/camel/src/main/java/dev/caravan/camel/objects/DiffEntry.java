package dev.caravan.camel.objects;

import dev.caravan.api.store.ObjectInfo;

/**
 * One line of a store diff.
 *
 * @param action what to do
 * @param info   the source object (COPY, REPLACE, SAME) or the target object (DELETE)
 * @param reason why, for logs and reports
 */
public record DiffEntry(DiffAction action, ObjectInfo info, String reason) {
}
