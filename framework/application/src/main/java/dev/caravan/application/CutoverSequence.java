package dev.caravan.application;

import dev.caravan.application.model.ApplicationSpec;
import dev.caravan.application.model.Hook;
import dev.caravan.application.model.HookPair;
import dev.caravan.application.model.Phase;
import dev.caravan.application.model.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order of a cutover, written once: for the warm and the final phase, the phase's {@code pre} hooks, then each
 * step (its {@code pre} hooks, its pass, its {@code post} hooks), the phase's {@code post} hooks, and after the warm
 * phase the freeze hooks; then {@code verify.pre}, the verification, {@code verify.post} and the switch hooks. The
 * saga's routes ({@link CutoverRun}), the plan's text and the recovery of a killed run all walk it, so a hook has
 * the same label ({@code <point> #<n>}) everywhere.
 */
final class CutoverSequence {
    /** What a walk visits. */
    interface Visitor {
        /** The hooks of one point, e.g. {@code freeze}, {@code warm.pre}, {@code step db.post (final)}. */
        void hooks(String point, List<Hook> hooks);

        /** One pass of one step. */
        void step(Step step, Phase phase);

        /** The verification of every step. */
        void verify();
    }

    private CutoverSequence() {
    }

    static void walk(ApplicationSpec spec, Visitor v) {
        for (Phase phase : List.of(Phase.WARM, Phase.FINAL)) {
            v.hooks(phase.key() + ".pre", spec.hooks(phase).pre());
            for (Step s : spec.steps()) {
                HookPair h = s.hooks();
                v.hooks("step " + s.id() + ".pre (" + phase.key() + ")", h.pre());
                v.step(s, phase);
                v.hooks("step " + s.id() + ".post (" + phase.key() + ")", h.post());
            }
            v.hooks(phase.key() + ".post", spec.hooks(phase).post());
            if (phase == Phase.WARM) {
                v.hooks("freeze", spec.cutover().freeze());
            }
        }
        v.hooks("verify.pre", spec.hooks(Phase.VERIFY).pre());
        v.verify();
        v.hooks("verify.post", spec.hooks(Phase.VERIFY).post());
        v.hooks("switch", spec.cutover().switchover());
    }

    /** Every hook of the plan by its label ({@code freeze #1}). */
    static Map<String, Hook> labelled(ApplicationSpec spec) {
        Map<String, Hook> out = new LinkedHashMap<>();
        walk(spec, new Visitor() {
            @Override
            public void hooks(String point, List<Hook> hooks) {
                for (int i = 0; i < hooks.size(); i++) {
                    out.put(label(point, i), hooks.get(i));
                }
            }

            @Override
            public void step(Step step, Phase phase) {
            }

            @Override
            public void verify() {
            }
        });
        return out;
    }

    static String label(String point, int index) {
        return point + " #" + (index + 1);
    }
}
