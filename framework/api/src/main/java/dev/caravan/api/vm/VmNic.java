package dev.caravan.api.vm;

/** A network interface: MAC address, network or bridge it attaches to, device model. */
public record VmNic(String mac, String network, String model) {
}
