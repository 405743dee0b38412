package dev.caravan.cli;

import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code caravan} command: global options (inherited by every subcommand, so they may be written before or
 * after the subcommand name) and the subcommands. Subcommands reach the globals through
 * {@code @ParentCommand CaravanCommand}.
 */
@Command(name = "caravan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = "Moves data between stores, verified and resumable. Built on Apache Camel.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:complete and verified (or nothing to do)",
            "1:a migration failed or verification found a mismatch",
            "2:bad input: options, configuration, YAML, unknown connector or run",
            "3:stopped, unfinished, at a limit the command set (--max-transfer, --max-duration); nothing failed"},
        footer = {"", "Locations are written scheme:location, e.g. local:/data. See 'caravan connectors'."})
public final class CaravanCommand implements Callable<Integer> {
    /**
     * The subcommands, in the order help lists them; {@link Main} registers them (all, or only those a command line
     * names: see {@link Main#commandLine(java.io.PrintWriter, java.io.PrintWriter, Boolean, String...)}).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            RunCommand.class, PlanCommand.class,
            CopyCommand.class, SyncCommand.class, MoveCommand.class,
            ResumeCommand.class, VerifyCommand.class, ManifestCommand.class, StatusCommand.class, PruneCommand.class,
            CleanupCommand.class,
            ServeCommand.class,
            ConnectorsCommand.class, DescribeCommand.class, HelpCommand.class, CdsTrainingCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--journal", paramLabel = "JDBC_URL", scope = ScopeType.INHERIT,
            description = "Journal database (default: embedded H2 under the home directory, or $CARAVAN_JOURNAL_URL).")
    String journalUrl;

    @Option(names = "--home", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Caravan's working directory for journal and reports (default: $CARAVAN_HOME or ~/.caravan).")
    Path home;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only errors and the output a command exists for (no progress, no summaries).")
    boolean quiet;

    @Option(names = "--no-progress", scope = ScopeType.INHERIT, description = "Do not show progress.")
    boolean noProgress;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Show stack traces with errors and log at debug level.")
    boolean debug;

    /** Forces terminal or non-terminal progress (tests); {@code null}: ask {@link System#console()}. */
    Boolean terminal;

    private Console console;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command (try 'caravan --help')");
    }

    /** The console of this invocation (created on first use, after parsing). */
    public Console console() {
        if (console == null) {
            boolean tty = terminal != null ? terminal : System.console() != null;
            console = new Console(spec.commandLine().getOut(), spec.commandLine().getErr(), quiet, tty, debug);
        }
        return console;
    }

    /** Engine settings from {@code --home} and {@code --journal}; progress is sampled twice a second on a terminal. */
    public EngineSettings settings() {
        Duration interval = console().terminal() ? Duration.ofMillis(500) : Duration.ofSeconds(1);
        return new EngineSettings(journalUrl, home, null, interval);
    }

    /** The progress listener for a run: a {@link ProgressPrinter}, or none with {@code -q} / {@code --no-progress}. */
    public ProgressListener progress() {
        return ProgressPrinter.forConsole(console(), noProgress);
    }
}
