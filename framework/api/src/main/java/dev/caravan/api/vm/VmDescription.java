package dev.caravan.api.vm;

import java.util.List;

/**
 * A domain parsed from its XML.
 *
 * @param ref         name, UUID, state
 * @param vcpus       virtual CPUs
 * @param cpuModel    CPU model name, or {@code null} for host-passthrough / none
 * @param memoryBytes configured memory
 * @param disks       disks in XML order
 * @param nics        network interfaces
 * @param xml         the domain XML as the hypervisor reported it
 */
public record VmDescription(VmRef ref, int vcpus, String cpuModel, long memoryBytes, List<VmDisk> disks,
        List<VmNic> nics, String xml) {
    public VmDescription {
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
    }
}
