package dev.caravan.application;

/**
 * The verification verdict of one step.
 *
 * @param ok     whether source and target match
 * @param method how they were compared (sha-256 per object, row digest per key range, rendered config digest)
 * @param detail counts and the first mismatches
 */
public record Verdict(boolean ok, String method, String detail) {
}
