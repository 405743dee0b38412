package dev.caravan.runtime.archfixture;

import dev.caravan.camel.archfixture.CamelThing;

/** Fixture: the runtime using the Camel adapter, as it should. */
public final class RuntimeThing {
    public CamelThing camel() {
        return new CamelThing();
    }
}
