package dev.caravan.application.model;

import java.util.List;

/**
 * Hooks run before and after something (a step's pass or a phase).
 *
 * @param pre  run first, in order
 * @param post run after, in order
 */
public record HookPair(List<Hook> pre, List<Hook> post) {
    public static final HookPair NONE = new HookPair(List.of(), List.of());

    public HookPair {
        pre = List.copyOf(pre);
        post = List.copyOf(post);
    }
}
