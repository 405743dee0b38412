package dev.caravan.api.vm;

import java.util.List;

/**
 * A domain parsed from its XML.
 *
 * @param ref         name, UUID, state
 * @param virtType    domain type, e.g. {@code kvm}, {@code qemu} (TCG), {@code test}
 * @param arch        guest architecture, e.g. {@code x86_64}
 * @param machine     machine type, e.g. {@code pc-i440fx-7.2}, or {@code null}
 * @param vcpus       virtual CPUs
 * @param cpuMode     {@code custom}, {@code host-model}, {@code host-passthrough}, {@code maximum}, or {@code null}
 * @param cpuModel    CPU model name, or {@code null} for host-passthrough / none
 * @param cpuXml      the {@code <cpu>} element as written in the domain, or {@code null}
 * @param memoryBytes configured memory
 * @param disks       disks in XML order
 * @param nics        network interfaces
 * @param xml         the domain XML as the hypervisor reported it
 */
public record VmDescription(VmRef ref, String virtType, String arch, String machine, int vcpus, String cpuMode,
        String cpuModel, String cpuXml, long memoryBytes, List<VmDisk> disks, List<VmNic> nics, String xml) {
    public VmDescription {
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
    }

    /** The name of the domain. */
    public String name() {
        return ref.name();
    }

    /** The disks a migration must carry (writable disks with a source). */
    public List<VmDisk> dataDisks() {
        return disks.stream().filter(VmDisk::carriesData).toList();
    }

    /** Bytes the data disks occupy (allocation, else capacity). */
    public long diskBytes() {
        return dataDisks().stream().mapToLong(d -> d.allocation() >= 0 ? d.allocation() : Math.max(0, d.capacity()))
                .sum();
    }
}
