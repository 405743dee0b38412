package dev.caravan.api.vm;

/** A domain as listed: name, UUID and state. */
public record VmRef(String name, String uuid, VmState state) {
}
