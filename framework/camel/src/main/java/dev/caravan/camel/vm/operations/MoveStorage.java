package dev.caravan.camel.vm.operations;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.StorageMoveOptions;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmDisk;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.VmRequest;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code moveStorage}: moves a running domain's disk to another path or pool of its host (block copy, then pivot)
 * while it runs. The storage preflight runs first; a failed check refuses the move with USER_CONFIG before the
 * copy starts. Body: the {@link dev.caravan.api.vm.MigrationResult}.
 */
public final class MoveStorage implements VmOperationHandler {
    @Override
    public OperationResponse execute(VmRequest request) {
        String domain = request.domain();
        Hypervisor source = request.source();
        VmDescription d = source.describe(domain);
        VmDisk disk = disk(d, request.text("disk"));
        StorageMoveOptions options = request.storage(disk.target());
        String destination = options.destinationPath() != null ? options.destinationPath()
                : "pool " + options.destinationPool();
        long size = disk.allocation() >= 0 ? disk.allocation() : Math.max(-1, disk.capacity());
        return JournaledMove.run(request, MigrationKind.STORAGE, domain, request.sourceLocation(),
                disk.target() + " -> " + destination, size, progress -> {
                    List<PreflightCheck> checks = source.preflight(domain, source, MigrationKind.STORAGE,
                            request.live());
                    String refused = PreflightVm.failures(checks);
                    if (!refused.isEmpty()) {
                        throw MigrationException.userConfig("storage move of " + domain + " refused by preflight: "
                                + refused);
                    }
                    return source.moveStorage(domain, options, progress);
                });
    }

    /** The disk named by the option, or the domain's only data disk. */
    private static VmDisk disk(VmDescription d, String wanted) {
        if (wanted != null) {
            return d.disks().stream().filter(x -> x.target().equals(wanted)).findFirst().orElseThrow(() ->
                    MigrationException.userConfig("domain " + d.name() + " has no disk '" + wanted + "' (disks: "
                            + d.disks().stream().map(VmDisk::target).collect(Collectors.joining(", ")) + ")"));
        }
        List<VmDisk> data = d.dataDisks();
        if (data.size() != 1) {
            throw MigrationException.userConfig("domain " + d.name() + " has " + data.size() + " data disks ("
                    + data.stream().map(VmDisk::target).collect(Collectors.joining(", "))
                    + "): name the one to move with the option disk");
        }
        return data.get(0);
    }
}
