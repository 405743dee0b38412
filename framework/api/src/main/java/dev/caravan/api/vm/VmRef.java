package dev.caravan.api.vm;

/**
 * A domain as listed.
 *
 * @param name       domain name (unique per host)
 * @param uuid       domain UUID
 * @param state      power state
 * @param persistent whether it has a persistent definition (survives shutdown)
 */
public record VmRef(String name, String uuid, VmState state, boolean persistent) {
}
