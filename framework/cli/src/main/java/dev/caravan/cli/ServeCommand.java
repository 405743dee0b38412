package dev.caravan.cli;

import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.journal.JournalPruning;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.CaravanServer;
import dev.caravan.runtime.ServeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caravan serve FILE.yaml...}: runs Camel YAML routes as a long-lived service, scheduled migrations
 * ({@code quartz:} routes, e.g. the scheduled-files template) included, until SIGTERM or Ctrl-C, which stop it
 * gracefully. With a PostgreSQL journal several serve processes form a group: Quartz is clustered on the journal
 * database (a schedule fires once for the group) and the workers share each run's tasks.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs Camel YAML routes as a service: schedules fire on time, other routes run when"
                + " triggered, until SIGTERM or Ctrl-C.",
            "With --journal jdbc:postgresql://... several serve processes share the schedules (each fires once for"
                + " the group) and the work of every run.",
            "Metrics in Prometheus format and a health check are served on http://127.0.0.1:9464/metrics and /health."})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    CaravanCommand root;

    @Parameters(arity = "1..*", paramLabel = "FILE.yaml", description = "Camel YAML DSL files.")
    List<Path> files;

    @Option(names = "--worker", paramLabel = "NAME",
            description = "This worker's name in the group, unique per process (default: hostname-pid). Shares runs"
                    + " with the other workers of the journal (always on a PostgreSQL journal).")
    String worker;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9464",
            description = "Port of /metrics (Prometheus) and /health; 0 for any free port, -1 for none"
                    + " (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the metrics endpoint binds (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
    String metricsHost;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = Converters.Age.class,
            description = "On SIGTERM, how long running migrations get to finish before the process stops anyway;"
                    + " an unfinished run is resumed by the next one (default: ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Option(names = "--keep-runs", paramLabel = "N",
            description = "Keep the journal and the reports to a retention while serving: finished runs beyond the"
                    + " newest N per migration are pruned every --prune-every, as 'caravan prune --keep-runs N' does"
                    + " (default: no retention, every run is kept).")
    Integer keepRuns;

    @Option(names = "--older-than", paramLabel = "AGE", converter = Converters.Age.class,
            description = "With --keep-runs: prune only runs that finished longer ago than this (e.g. 30d).")
    Duration olderThan;

    @Option(names = "--prune-every", paramLabel = "DURATION", defaultValue = "1h", converter = Converters.Age.class,
            description = "With --keep-runs: how often the retention is applied; the first time a minute after the"
                    + " start, or one interval after it when that is shorter (default: ${DEFAULT-VALUE}).")
    Duration pruneEvery;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        logServiceEvents();
        JournalPruning.Retention retention = retention();
        List<Path> yaml = YamlFiles.check(files);
        Console console = root.console();
        String name = worker != null ? worker : ServeOptions.defaultWorker();
        EngineSettings settings = root.settings();
        if (root.journalUrl == null && System.getenv("CARAVAN_JOURNAL_URL") == null) {
            // the embedded journal stays reachable for 'caravan status' while serve holds it
            settings = settings.withJournalUrl(settings.journalUrl() + ";AUTO_SERVER=TRUE");
        }
        if (worker != null || CaravanServer.isSharedJournal(settings.journalUrl())) {
            settings = settings.withWorker(name);
        }
        ServeOptions options = ServeOptions.of(name).withMetrics(metricsHost, metricsPort)
                .withShutdownTimeout(shutdownTimeout).withRetention(retention, pruneEvery);
        CaravanRuntime runtime = CaravanRuntime.create(settings);
        CaravanServer server;
        try {
            server = runtime.serve(yaml, options);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        Runnable shutdown = () -> {
            server.stop();
            runtime.close();
        };
        java.util.concurrent.atomic.AtomicInteger signal = new java.util.concurrent.atomic.AtomicInteger();
        onSignals(shutdown, shutdownTimeout.plusSeconds(15), signal);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // any other way out
            if (!server.stopRequested()) {
                shutdown.run();
            }
        }, "caravan-shutdown"));
        console.info("serving " + yaml.size() + " file(s) with " + server.schedules().size() + " schedule(s) as worker "
                + name + (server.clustered() ? " (Quartz clustered on the journal database)" : ""));
        server.schedules().forEach((id, s) -> console.info("  schedule " + id + ": " + s.describe()));
        if (server.metricsPort() >= 0) {
            console.info("metrics on http://" + metricsHost + ":" + server.metricsPort() + "/metrics, health on /health");
        }
        if (retention != null) {
            console.info("retention: finished runs beyond the newest " + keepRuns + " per migration"
                    + (olderThan == null ? "" : " and older than " + Formats.duration(olderThan))
                    + " are pruned every " + Formats.duration(pruneEvery));
        }
        console.info("SIGTERM or Ctrl-C stops (running migrations get " + Formats.duration(shutdownTimeout)
                + " to finish)");
        server.awaitStop();
        runtime.close();
        // stopped by a signal: its code (143 for SIGTERM), as a process killed by it, also when this thread ends
        // before the signal's own exit (it returned 0 then: a supervisor could not tell a stop from a clean end)
        return signal.get() > 0 ? 128 + signal.get() : Main.OK;
    }

    /** The retention the options ask for; {@code null} without --keep-runs. Bad values are bad input. */
    private JournalPruning.Retention retention() {
        if (keepRuns == null) {
            if (olderThan != null) {
                throw new ParameterException(spec.commandLine(), "--older-than needs --keep-runs (the retention)");
            }
            return null;
        }
        if (keepRuns < 0) {
            throw new ParameterException(spec.commandLine(), "--keep-runs must be 0 or more, not " + keepRuns);
        }
        if (olderThan != null && olderThan.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--older-than must not be negative");
        }
        if (pruneEvery.isNegative() || pruneEvery.isZero()) {
            throw new ParameterException(spec.commandLine(), "--prune-every must be positive");
        }
        return new JournalPruning.Retention(keepRuns, olderThan);
    }

    /**
     * SIGTERM and SIGINT stop the server gracefully BEFORE the JVM shuts down: in a JVM shutdown hook the
     * libraries' own hooks (the embedded journal's close-on-exit among them) run at the same time and would cut
     * running migrations short. After the graceful stop the process exits with 128 + the signal number, as a
     * process killed by it would.
     */
    @SuppressWarnings("restriction")
    private static void onSignals(Runnable shutdown, Duration atMost,
            java.util.concurrent.atomic.AtomicInteger received) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    received.compareAndSet(0, signal.getNumber());
                    Thread t = new Thread(shutdown, "caravan-sig" + name.toLowerCase(java.util.Locale.ROOT));
                    t.setDaemon(true);
                    t.start();
                    Thread exit = new Thread(() -> {
                        try {
                            t.join(atMost.toMillis()); // a stop that hangs must not keep the process up
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        System.exit(128 + signal.getNumber());
                    }, "caravan-exit");
                    exit.start();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // no such signal here: the shutdown hook still stops the server
            }
        }
    }

    /**
     * A service's own events (a schedule fired, skipped in its blackout window, ended; retention passes; the stop) are
     * logged at info, above the CLI's default level (warn, simplelogger.properties). slf4j-simple reads a logger's
     * level when the logger is made: this runs before any class of the runtime logs. {@code --debug} sets its own.
     */
    private static void logServiceEvents() {
        if (System.getProperty("org.slf4j.simpleLogger.log.dev.caravan") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.caravan.runtime", "info");
        }
    }
}
