package dev.caravan.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

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
        Charset cs = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), cs), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), cs), true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line with the given streams and returns the exit code; never exits the JVM. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err, null).execute(args);
    }

    /**
     * The configured picocli command line.
     *
     * @param terminal force terminal ({@code true}) or plain ({@code false}) progress; {@code null} detects it
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Boolean terminal) {
        CaravanCommand root = new CaravanCommand();
        root.terminal = terminal;
        ErrorHandler errors = new ErrorHandler();
        CommandLine cl = new CommandLine(root);
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
                return;
            }
            if (a.equals("--")) {
                return;
            }
        }
    }
}
