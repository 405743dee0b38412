package dev.caravan.api.vm;

/**
 * One check made before anything moves (also used for object and record migrations).
 *
 * @param name   short name, e.g. {@code cpu-compatibility}
 * @param status pass, warn or fail
 * @param detail what was found, with the figures
 */
public record PreflightCheck(String name, Status status, String detail) {
    /** Verdict of a check; a {@code FAIL} stops the migration before any write. */
    public enum Status {
        PASS, WARN, FAIL
    }
}
