package dev.caravan.connector.libvirt;

import org.libvirt.CPUCompareResult;
import org.libvirt.LibvirtException;

/**
 * Whether a domain's CPU can run on a target host. The libvirt implementation asks the target's hypervisor
 * ({@code virConnectCompareHypervisorCPU}: what QEMU/KVM can give a guest there, right for TCG too), then, for
 * KVM only, the host CPU ({@code virConnectCompareCPU}); a driver that can do neither gives {@code UNKNOWN}
 * (libvirt's test driver). Replaceable in tests.
 */
@FunctionalInterface
interface CpuComparator {

    /** The verdict. */
    enum Verdict { COMPATIBLE, INCOMPATIBLE, UNKNOWN }

    /**
     * A verdict with how it was reached.
     *
     * @param verdict compatible, incompatible or unknown
     * @param detail  method and figures, for the preflight report
     */
    record Result(Verdict verdict, String detail) {
    }

    Result compare(LibvirtHypervisor target, DomainXml.Parsed domain);

    /** libvirt's own comparison (see the type's Javadoc). */
    CpuComparator LIBVIRT = (target, d) -> {
        String cpuXml = d.cpuXml(); // as written: with match=, libvirt refuses an <arch> inside
        if (cpuXml == null || d.cpuModel() == null && !"host-passthrough".equals(d.cpuMode())
                && !"host-model".equals(d.cpuMode())) {
            return new Result(Verdict.COMPATIBLE, "the domain uses the hypervisor's default CPU model");
        }
        String what = d.cpuModel() != null ? "CPU model " + d.cpuModel() : "CPU mode " + d.cpuMode();
        int r;
        try {
            r = LibvirtNative.compareHypervisorCpu(target.connection(), null, d.arch(), null, d.type(), cpuXml);
        } catch (LinkageError | RuntimeException e) {
            r = -1;
        }
        if (r == 0) {
            return new Result(Verdict.INCOMPATIBLE, what + " is not available from " + d.type()
                    + " on the target (virConnectCompareHypervisorCPU: incompatible)");
        }
        if (r > 0) {
            return new Result(Verdict.COMPATIBLE, what + (r == 1 ? " identical to" : " provided by") + " the "
                    + d.type() + " hypervisor of the target");
        }
        if ("kvm".equals(d.type())) {
            try {
                CPUCompareResult c = target.connection().compareCPU(cpuXml);
                if (c == CPUCompareResult.VIR_CPU_COMPARE_INCOMPATIBLE) {
                    return new Result(Verdict.INCOMPATIBLE, what + " is not supported by the target's host CPU");
                }
                if (c != CPUCompareResult.VIR_CPU_COMPARE_ERROR) {
                    return new Result(Verdict.COMPATIBLE, what + " supported by the target's host CPU ("
                            + c.name().replace("VIR_CPU_COMPARE_", "").toLowerCase(java.util.Locale.ROOT) + ")");
                }
            } catch (LibvirtException e) {
                // fall through to unknown
            }
        }
        return new Result(Verdict.UNKNOWN, "the target's driver cannot compare CPUs; " + what + " not verified");
    };
}
