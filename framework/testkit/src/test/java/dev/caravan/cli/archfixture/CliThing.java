package dev.caravan.cli.archfixture;

import dev.caravan.runtime.archfixture.RuntimeThing;

/** Fixture: the command line using the runtime, as it should. */
public final class CliThing {
    public RuntimeThing runtime() {
        return new RuntimeThing();
    }
}
