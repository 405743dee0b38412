package dev.caravan.application.model;

import java.util.List;

/**
 * The cutover hooks: {@code freeze} runs after the warm phase (stop writes: maintenance mode, read-only), then the
 * final incremental pass and the verification run, then {@code switchover} points users at the target.
 *
 * @param freeze     hooks that stop the application writing to the source
 * @param switchover hooks that make the target the live environment
 */
public record Cutover(List<Hook> freeze, List<Hook> switchover) {
    public static final Cutover NONE = new Cutover(List.of(), List.of());

    public Cutover {
        freeze = List.copyOf(freeze);
        switchover = List.copyOf(switchover);
    }
}
