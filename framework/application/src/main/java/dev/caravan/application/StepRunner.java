package dev.caravan.application;

import dev.caravan.application.model.Phase;
import dev.caravan.application.model.Step;
import java.util.Map;

/**
 * Runs one step of an application plan through the engine of its kind. Lifecycle: {@link #preview} (dry run) or
 * {@link #prepare} (snapshot what a rollback needs), then {@link #pass} for the warm and the final phase, then
 * {@link #verify}; {@link #compensate} may be called at any point after {@link #prepare} (also after a pass that
 * failed midway) and must undo every change this run made to the target. Never modifies the source.
 */
interface StepRunner {

    Step step();

    /** Dry run: what the step would move, with preflight results; writes nothing. */
    StepPreview preview();

    /** Records what the target holds before anything is written, backing up what the step may overwrite. */
    void prepare();

    /**
     * Moves the data of one phase: {@link Phase#WARM} everything, {@link Phase#FINAL} what changed since.
     *
     * @return figures for the report (objects, bytes, rows, files...)
     * @throws dev.caravan.api.error.MigrationException when the pass did not complete
     */
    Map<String, Object> pass(Phase phase);

    /** Compares source and target; a verdict with {@code ok == false} makes the run roll back. */
    Verdict verify();

    /**
     * Undoes this run's changes on the target (never throws: failures are in the returned text).
     *
     * @return what was done, one line
     */
    String compensate();

    /**
     * Reloads the rollback snapshot that {@link #prepare} of a killed run saved under the run directory
     * ({@link RunState#saveSnapshot}); {@link #compensate} then undoes what that run changed.
     *
     * @param snapshot the saved map (never {@code null})
     */
    void restore(Map<String, Object> snapshot);

    /**
     * Called once the whole cutover succeeded (the saga completed): final clean-up that must wait until no rollback
     * can happen any more, e.g. removing a moved VM from its source. Never throws.
     *
     * @return what was done, one line, or {@code null} when the step has nothing to do
     */
    default String complete() {
        return null;
    }
}
