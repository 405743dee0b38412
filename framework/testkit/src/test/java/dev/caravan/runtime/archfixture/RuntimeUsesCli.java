package dev.caravan.runtime.archfixture;

import dev.caravan.cli.archfixture.CliThing;

/** Fixture: the runtime reaching up into the command line. */
public final class RuntimeUsesCli {
    public CliThing cli() {
        return new CliThing();
    }
}
