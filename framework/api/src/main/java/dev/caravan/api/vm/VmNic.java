package dev.caravan.api.vm;

/**
 * A network interface of a domain.
 *
 * @param mac     MAC address, or {@code null}
 * @param type    interface type: {@code network}, {@code bridge}, {@code user}, {@code direct}, ...
 * @param network network or bridge it attaches to, or {@code null}
 * @param model   device model, e.g. {@code virtio}, or {@code null}
 */
public record VmNic(String mac, String type, String network, String model) {
}
