package dev.caravan.api.vm;

/**
 * A disk of a domain.
 *
 * @param target   guest device name, e.g. {@code vda}
 * @param source   host path or volume name
 * @param format   image format, e.g. {@code qcow2}, {@code raw}
 * @param capacity virtual size in bytes, or {@code -1}
 * @param shared   whether the domain XML marks it shareable / the storage is shared between hosts
 */
public record VmDisk(String target, String source, String format, long capacity, boolean shared) {
}
