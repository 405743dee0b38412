package dev.caravan.connector.libvirt;

import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmDisk;
import java.util.ArrayList;
import java.util.List;
import org.libvirt.Domain.DomainMigrateParameters;
import org.libvirt.Domain.MigrateFlags;
import org.libvirt.TypedIntParameter;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUlongParameter;

/** The flags and typed parameters of a live migration's {@code virDomainMigrate3} / {@code virDomainMigrateToURI3}. */
final class MigrateCall {
    private MigrateCall() {
    }

    /** The parameters as libvirt-java's typed parameters (for {@code Domain.migrate}). */
    static TypedParameter[] typed(List<LibvirtNative.Param> params) {
        return params.stream().map(p -> p.value() instanceof String s ? new TypedStringParameter(p.name(), s)
                : p.value() instanceof Long l ? new TypedUlongParameter(p.name(), l)
                        : (TypedParameter) new TypedIntParameter(p.name(), ((Number) p.value()).intValue()))
                .toArray(TypedParameter[]::new);
    }

    /** The {@code VIR_MIGRATE_*} flags of a live migration with these options. */
    static long flags(LiveMigrationOptions o) {
        long f = MigrateFlags.LIVE;
        f |= o.persistOnTarget() ? MigrateFlags.PERSIST_DEST : 0;
        f |= o.undefineSource() ? MigrateFlags.UNDEFINE_SOURCE : 0;
        f |= o.sharedDisk() ? 0 : MigrateFlags.NON_SHARED_DISK;
        f |= o.sharedDisk() && o.allowUnsafe() ? MigrateFlags.UNSAFE : 0;
        f |= o.peerToPeer() ? MigrateFlags.PEER2PEER : 0;
        f |= o.tunnelled() ? MigrateFlags.TUNNELED : 0;
        f |= o.autoConverge() ? MigrateFlags.AUTO_CONVERGE : 0;
        f |= o.postCopy() ? MigrateFlags.POSTCOPY : 0;
        f |= o.compression() ? MigrateFlags.COMPRESSED : 0;
        f |= o.parallelConnections() > 1 ? MigrateFlags.PARALLEL : 0;
        return f;
    }

    /** The typed parameters; never empty (libvirt-java 0.5.3 crashes on an empty array). */
    static List<LibvirtNative.Param> params(String name, VmDescription d, LiveMigrationOptions o) {
        List<LibvirtNative.Param> p = new ArrayList<>();
        p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_NAME, name));
        if (o.migrateUri() != null) {
            p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_URI, o.migrateUri()));
        }
        if (!o.sharedDisk()) {
            for (VmDisk disk : d.dataDisks()) {
                if (!"network".equals(disk.type()) && !disk.shared()) {
                    p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_MIGRATE_DISKS,
                            disk.target()));
                }
            }
            if (o.disksUri() != null) {
                p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_DISKS_URI, o.disksUri()));
            }
        }
        if (o.bandwidthBytesPerSec() > 0) { // libvirt counts MiB/s
            p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_BANDWIDTH,
                    Math.max(1L, (o.bandwidthBytesPerSec() + (1 << 20) - 1) >> 20)));
        }
        if (o.parallelConnections() > 1) {
            p.add(new LibvirtNative.Param(DomainMigrateParameters.VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS,
                    o.parallelConnections()));
        }
        return p;
    }
}
