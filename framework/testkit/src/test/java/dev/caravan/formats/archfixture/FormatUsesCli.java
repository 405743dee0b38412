package dev.caravan.formats.archfixture;

import dev.caravan.cli.archfixture.CliThing;

/** Fixture: a codec that uses the command line. */
public final class FormatUsesCli {
    public CliThing cli() {
        return new CliThing();
    }
}
