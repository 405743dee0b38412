package dev.caravan.cli;

import dev.caravan.api.config.MaskedUris;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line {@code caravan: error: <message>} on standard error and an exit code:
 * 2 for bad input (picocli parameter errors; {@link MigrationException} of kind user config, user data or not
 * found, also when wrapped, e.g. by Camel while loading YAML), 1 for anything else. Stack traces only with
 * {@code --debug}.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private static final Set<ErrorKind> BAD_INPUT =
            Set.of(ErrorKind.USER_CONFIG, ErrorKind.USER_DATA, ErrorKind.NOT_FOUND);

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("caravan: error: " + maskedArguments(ex.getMessage(), args));
        String cmd = cl.getCommandSpec().qualifiedName();
        err.println("Try '" + cmd + " --help' for more information.");
        err.flush();
        return Main.BAD_INPUT;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (ex instanceof ParameterException pe) { // thrown by a command after parsing (e.g. wrong argument count)
            return handleParseException(pe, parsed.originalArgs().toArray(String[]::new));
        }
        MigrationException me = migrationCause(ex);
        int code = me != null && BAD_INPUT.contains(me.kind()) ? Main.BAD_INPUT : Main.FAILED;
        if (code == Main.FAILED && yamlProblem(ex)) {
            code = Main.BAD_INPUT;
        }
        List<String> lines = message(me != null ? me : ex).lines().toList();
        err.println("caravan: error: " + (lines.isEmpty() ? "" : lines.get(0)));
        for (String context : lines.subList(Math.min(1, lines.size()), lines.size())) {
            err.println("  " + context); // e.g. the YAML snippet with a caret under the problem
        }
        if (debug(cl)) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            err.print(MaskedUris.secretOptions(trace.toString())); // Camel quotes route URIs unmasked in its causes
        }
        err.flush();
        return code;
    }

    /**
     * Picocli's message with every argument it quotes that holds a secret (a SAS in a location, a secret option's
     * value: {@link MaskedUris#argument}) masked, so a mistyped command never prints the credentials it was given.
     */
    static String maskedArguments(String message, String[] args) {
        String masked = message == null ? "" : message;
        for (String arg : args == null ? new String[0] : args) {
            String shown = MaskedUris.argument(arg);
            if (arg != null && !arg.isEmpty() && !shown.equals(arg)) {
                masked = masked.replace(arg, shown);
            }
        }
        return masked;
    }

    /** The first {@link MigrationException} in the cause chain, or {@code null}. */
    static MigrationException migrationCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof MigrationException me) {
                return me;
            }
        }
        return null;
    }

    /** A malformed YAML file surfaces as a parser exception of the YAML library somewhere in the chain. */
    static boolean yamlProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String name = c.getClass().getName();
            if (name.startsWith("org.snakeyaml.") || name.startsWith("org.yaml.snakeyaml.")
                    || name.startsWith("org.apache.camel.dsl.yaml.")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The exception's own message, or its innermost meaningful one, or its class name. The first line is the
     * error; further lines (a YAML snippet) are context printed below it.
     */
    static String message(Throwable t) {
        if (t instanceof UnsupportedOperationException && t.getMessage() != null) {
            return "not available yet: " + t.getMessage();
        }
        String m = t.getMessage();
        Throwable c = t;
        while ((m == null || m.isBlank()) && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
            m = c.getMessage();
        }
        if (m == null || m.isBlank()) {
            return c.getClass().getSimpleName();
        }
        return m.strip().replace("\r", "");
    }

    private static boolean debug(CommandLine cl) {
        Object root = cl.getCommandSpec().root().userObject();
        return root instanceof CaravanCommand cc && cc.debug;
    }
}
