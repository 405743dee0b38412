package dev.caravan.runtime;

import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.PreflightCheck;
import java.util.List;

/**
 * What {@code caravan plan} found for one {@code caravan-vm:} move endpoint: the hypervisor's preflight checks of
 * the move, run without changing anything on either host.
 *
 * @param route  the route id
 * @param kind   live, cold or storage
 * @param domain the domain
 * @param source the source hypervisor, passwords masked
 * @param target the target hypervisor (the source for a storage move), passwords masked
 * @param checks the checks in the order the hypervisor made them; the time forecast is the check named
 *               {@code forecast}
 */
public record VmPlan(String route, MigrationKind kind, String domain, String source, String target,
        List<PreflightCheck> checks) {
    public VmPlan {
        checks = List.copyOf(checks);
    }

    /** Whether the move would be refused: a check failed. */
    public boolean refused() {
        return checks.stream().anyMatch(c -> c.status() == PreflightCheck.Status.FAIL);
    }

    /** The forecast check, or {@code null} when the hypervisor gave none. */
    public PreflightCheck forecast() {
        return checks.stream().filter(c -> c.name().equals("forecast")).findFirst().orElse(null);
    }
}
