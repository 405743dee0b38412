package dev.caravan.camel.archfixture;

import dev.caravan.runtime.archfixture.RuntimeThing;

/** Fixture: a Camel adapter that reaches up into the runtime. */
public final class CamelUsesRuntime {
    public RuntimeThing runtime() {
        return new RuntimeThing();
    }
}
