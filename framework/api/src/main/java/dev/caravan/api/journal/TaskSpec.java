package dev.caravan.api.journal;

/**
 * A planned unit of work.
 *
 * @param id     deterministic id, see {@link TaskId#of}
 * @param action what to do, e.g. {@code COPY}, {@code REPLACE}, {@code DELETE}
 * @param item   the object key, table or domain the task is about
 * @param size   bytes (or rows) expected, or {@code -1}
 */
public record TaskSpec(TaskId id, String action, String item, long size) {
}
