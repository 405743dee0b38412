package dev.caravan.connector.gamma;

import dev.caravan.runtime.archfixture.RuntimeThing;

/** Fixture: a connector that uses the runtime. */
public final class GammaUsesRuntime {
    public RuntimeThing runtime() {
        return new RuntimeThing();
    }
}
