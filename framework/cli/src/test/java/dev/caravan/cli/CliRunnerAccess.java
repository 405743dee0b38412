package dev.caravan.cli;

/** Lets tests in sub-packages run the CLI in-process (see {@link CliRunner}). */
public final class CliRunnerAccess {
    private CliRunnerAccess() {
    }

    /** Runs one command line in-process with captured output. */
    public static CliRunner.Result run(String... args) {
        return CliRunner.run(args);
    }
}
