package dev.caravan.api.vm;

/**
 * A hypervisor host as it describes itself.
 *
 * @param hostname       host name reported by the hypervisor
 * @param uuid           host UUID, or {@code null} when the host has none (test drivers)
 * @param hypervisorType e.g. {@code QEMU}, {@code TEST}
 * @param version        hypervisor version, e.g. {@code 7.2.22}
 * @param arch           host CPU architecture, e.g. {@code x86_64}
 * @param cpuModel       host CPU model, or {@code null}
 * @param cpus           logical CPUs
 * @param memoryBytes    physical memory
 * @param freeMemoryBytes free memory, or {@code -1} when the hypervisor cannot tell
 */
public record HostInfo(String hostname, String uuid, String hypervisorType, String version, String arch,
        String cpuModel, int cpus, long memoryBytes, long freeMemoryBytes) {
}
