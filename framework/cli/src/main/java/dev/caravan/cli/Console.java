package dev.caravan.cli;

import java.io.PrintWriter;

/**
 * Where the CLI writes: results and summaries to standard output, progress and errors to standard error.
 * {@code --quiet} silences everything but errors and the output a command exists for (a plan, a status table).
 */
public final class Console {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal;
    private final boolean debug;

    /**
     * @param out      standard output
     * @param err      standard error
     * @param quiet    {@code -q}: no progress, no success summaries
     * @param terminal whether a person watches (a redrawn progress bar instead of periodic lines)
     * @param debug    {@code --debug}: stack traces with errors
     */
    public Console(PrintWriter out, PrintWriter err, boolean quiet, boolean terminal, boolean debug) {
        this.out = out;
        this.err = err;
        this.quiet = quiet;
        this.terminal = terminal;
        this.debug = debug;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean quiet() {
        return quiet;
    }

    public boolean terminal() {
        return terminal;
    }

    public boolean debug() {
        return debug;
    }

    /** A line of output a command exists for; printed even with {@code --quiet}. */
    public void print(String line) {
        out.println(line);
        out.flush();
    }

    /**
     * One line of output a command exists for (a line of a plan or of a run's summary), printed even with
     * {@code --quiet}. A newline or carriage return in it comes from a key and is shown in caret notation ({@code ^J},
     * {@code ^M}), so a key cannot break the line or write over it; {@link TerminalSafe} shows the other control
     * characters so.
     */
    public void printLine(String line) {
        print(line.indexOf('\n') < 0 && line.indexOf('\r') < 0 ? line
                : line.replace("\n", "^J").replace("\r", "^M"));
    }

    /** A line of informational output (summaries, hints); suppressed by {@code --quiet}. */
    public void info(String line) {
        if (!quiet) {
            out.println(line);
            out.flush();
        }
    }

    /** The one-line error format of the CLI: {@code caravan: error: <message>} on standard error. */
    public void error(String message) {
        err.println("caravan: error: " + message);
        err.flush();
    }

    /** A warning on standard error, always shown. */
    public void warn(String message) {
        err.println("caravan: warning: " + message);
        err.flush();
    }
}
