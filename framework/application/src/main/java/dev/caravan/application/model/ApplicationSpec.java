package dev.caravan.application.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One application plan, as read from its YAML file: the steps in dependency order (every step after the steps it
 * names in {@code after}), the phase hooks and the cutover hooks. Immutable.
 *
 * @param name       the application's name (reports, work directory)
 * @param file       the plan file
 * @param steps      the steps, topologically sorted (ties keep the file order)
 * @param phaseHooks hooks around each phase
 * @param cutover    freeze and switch hooks
 */
public record ApplicationSpec(String name, Path file, List<Step> steps, Map<Phase, HookPair> phaseHooks,
        Cutover cutover) {
    public ApplicationSpec {
        steps = List.copyOf(steps);
        phaseHooks = Map.copyOf(phaseHooks);
    }

    /** The hooks around a phase (none when not declared). */
    public HookPair hooks(Phase phase) {
        return phaseHooks.getOrDefault(phase, HookPair.NONE);
    }
}
