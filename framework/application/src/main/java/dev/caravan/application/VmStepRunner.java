package dev.caravan.application;

import dev.caravan.api.error.MigrationException;
import dev.caravan.application.model.Phase;
import dev.caravan.application.model.Step;
import java.util.List;
import java.util.Map;

/**
 * A vm step: declared in the plan language and validated, but not run by this version. A cold migration stops and
 * undefines the source VM, which an application rollback would have to undo (restart and redefine on the source,
 * remove from the target); until that compensation exists and is tested against the libvirt hosts, a plan with a vm
 * step is refused before anything is written. Move the VM with the {@code vm-cold} route template meanwhile.
 */
final class VmStepRunner implements StepRunner {
    private final Step.Vm step;

    VmStepRunner(Step.Vm step) {
        this.step = step;
    }

    private MigrationException unsupported() {
        return MigrationException.unsupported("vm step '" + step.id() + "' (" + step.location() + "): VM steps are "
                + "declared but not run by application plans yet; move the VM with routes/vm/cold.yaml");
    }

    @Override
    public Step step() {
        return step;
    }

    @Override
    public StepPreview preview() {
        return new StepPreview(Map.of("domain", step.domain()), List.of("FAIL " + unsupported().getMessage()), null);
    }

    @Override
    public void prepare() {
        throw unsupported();
    }

    @Override
    public Map<String, Object> pass(Phase phase) {
        throw unsupported();
    }

    @Override
    public Verdict verify() {
        throw unsupported();
    }

    @Override
    public String compensate() {
        return "nothing to undo";
    }
}
