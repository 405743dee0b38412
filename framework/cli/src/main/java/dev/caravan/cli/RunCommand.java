package dev.caravan.cli;

import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RoutesRun;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code caravan run FILE.yaml...}: loads Camel YAML routes (usually {@code templatedRoute}s of Caravan's route
 * templates), runs every migration they define to its end and prints a summary per migration with the report
 * locations.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the migrations defined in Camel YAML files (templatedRoute of a Caravan route template, "
                + "or your own routes) and waits until they finish. A scheduled route (quartz:) runs once, now.",
            "Exit code 0 when every migration is complete and verified, 1 when one failed or did not verify, "
                + "2 for bad input."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    CaravanCommand root;

    @Parameters(arity = "1..*", paramLabel = "FILE.yaml", description = "Camel YAML DSL files.")
    List<Path> files;

    @Option(names = "--worker", paramLabel = "NAME",
            description = "Share the migrations with other processes on the same journal (a PostgreSQL --journal),"
                    + " each with its own unique NAME (see docs/scale-out.md).")
    String worker;

    @Override
    public Integer call() {
        List<Path> yaml = YamlFiles.check(files);
        Console console = root.console();
        ProgressListener progress = root.progress();
        try (CaravanRuntime runtime = CaravanRuntime.create(worker == null ? root.settings()
                : root.settings().withWorker(worker))) {
            RoutesRun run;
            try {
                run = runtime.runRoutes(yaml, progress);
            } finally {
                ProgressPrinter.finish(progress);
            }
            if (run.results().isEmpty() && run.errors().isEmpty()) {
                console.warn("no caravan: object migration ran in " + files + " (caravan-records: and caravan-vm: routes"
                        + " record their runs in the journal: see caravan status)");
            }
            RunPrinter printer = new RunPrinter(console);
            for (RunResult r : run.results()) {
                printer.print(r);
            }
            run.errors().forEach(console::error);
            return run.exitCode();
        }
    }
}
