package dev.caravan.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code caravan} command. {@link #execute} runs a command line in-process and returns its exit
 * code (0 success, 1 failed or mismatch, 2 bad input), for tests and embedding; {@link #main} exits the JVM with it.
 */
public final class Main {
    /** Complete and verified, or nothing to do. */
    public static final int OK = 0;
    /** A migration failed or verification found a mismatch (the run started). */
    public static final int FAILED = 1;
    /** Bad input: options, configuration, YAML, unknown connector, unknown run. */
    public static final int BAD_INPUT = 2;

    private Main() {
    }

    public static void main(String[] args) {
        configureLogging(args);
        ConnectorWarmUp.start(args);
        Charset cs = Charset.defaultCharset();
        // what reaches the terminal cannot drive it (names from the stores may hold ESC): TerminalSafe
        PrintStream safeErr = new PrintStream(new TerminalSafe(new FileOutputStream(FileDescriptor.err)), true, cs);
        System.setErr(safeErr); // the log lines
        PrintWriter out = new PrintWriter(new OutputStreamWriter(
                new TerminalSafe(new FileOutputStream(FileDescriptor.out)), cs), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(safeErr, cs), true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line with the given streams and returns the exit code; never exits the JVM. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, null, args);
    }

    /**
     * Runs one command line as {@link #execute(PrintWriter, PrintWriter, String...)} does, with terminal ({@code true})
     * or plain ({@code false}) progress forced: for a caller whose streams are not the process's own (the daemon).
     */
    public static int execute(PrintWriter out, PrintWriter err, Boolean terminal, String... args) {
        return commandLine(out, err, terminal, args).execute(args);
    }

    /**
     * The configured picocli command line with every subcommand.
     *
     * @param terminal force terminal ({@code true}) or plain ({@code false}) progress; {@code null} detects it
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Boolean terminal) {
        return commandLine(out, err, terminal, CaravanCommand.SUBCOMMANDS);
    }

    /**
     * The command line for {@code args}: with the subcommands whose names appear among the arguments, or with all of
     * them when none does ({@code caravan --help}, a misspelt command that gets suggestions). Picocli builds each
     * subcommand's model by reflection when it is registered (about 0.1 s of CPU for all of them, at every start); a
     * command line holds the name of the subcommand it runs, so registering the named ones is always enough (an
     * option value that happens to be a subcommand's name only registers one more).
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Boolean terminal, String... args) {
        List<String> words = List.of(args);
        List<Class<?>> named = CaravanCommand.SUBCOMMANDS.stream()
                .filter(c -> words.contains(c.getAnnotation(Command.class).name())).toList();
        return commandLine(out, err, terminal, named.isEmpty() ? CaravanCommand.SUBCOMMANDS : named);
    }

    private static CommandLine commandLine(PrintWriter out, PrintWriter err, Boolean terminal,
            List<Class<?>> subcommands) {
        CaravanCommand root = new CaravanCommand();
        root.terminal = terminal;
        ErrorHandler errors = new ErrorHandler();
        CommandLine cl = new CommandLine(root);
        for (Class<?> subcommand : subcommands) {
            cl.addSubcommand(subcommand); // before the settings below, which apply to the subcommands present
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(errors);
        cl.setExecutionExceptionHandler(errors);
        return cl;
    }

    /** slf4j-simple reads its levels once, at the first logger: set them before anything logs. */
    private static void configureLogging(String[] args) {
        for (String a : args) {
            if (a.equals("--debug")) {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
                System.setProperty("org.slf4j.simpleLogger.log.dev.caravan", "debug");
                for (String quiet : List.of("com.azure.storage.common.policy.RequestRetryPolicy",
                        "com.azure.storage.common.implementation.StorageImplUtils",
                        "org.apache.camel.component.quartz.CamelJob")) {
                    System.setProperty("org.slf4j.simpleLogger.log." + quiet, "info"); // off without --debug
                }
                return;
            }
            if (a.equals("--")) {
                return;
            }
        }
    }
}
