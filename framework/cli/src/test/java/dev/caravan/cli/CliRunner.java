package dev.caravan.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the CLI in-process with captured output (tests only). */
final class CliRunner {
    private CliRunner() {
    }

    /** Exit code and captured streams of one invocation. */
    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // as Main.execute: only the subcommands the arguments name are registered
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), false, args)
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs {@code caravan --home HOME --no-progress ARGS...}: a private home (journal, reports), no progress. */
    static Result inHome(Path home, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--home";
        all[1] = home.toString();
        all[2] = "--no-progress";
        System.arraycopy(args, 0, all, 3, args.length);
        return run(all);
    }

    /** Parses without executing and returns the root command line (for parsing tests). */
    static CommandLine parser() {
        return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
    }
}
