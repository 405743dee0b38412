package dev.caravan.cli;

import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RecordRun;
import dev.caravan.runtime.RoutesRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code caravan run FILE.yaml...}: loads Camel YAML routes (usually {@code templatedRoute}s of Caravan's route
 * templates), runs every migration they define to its end and prints a summary per migration with the report
 * locations: object runs ({@code caravan:}), record migrations and conversions ({@code caravan-records:}) and VM
 * moves ({@code caravan-vm:}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the migrations defined in Camel YAML files (templatedRoute of a Caravan route template, "
                + "or your own routes) and waits until they finish. A scheduled route (quartz:) runs once, now.",
            "Exit code 0 when every migration is complete and verified, 1 when one failed or did not verify, "
                + "2 for bad input, 3 when one stopped unfinished at its maxTransfer or maxDuration (nothing "
                + "failed; the same command continues it)."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    CaravanCommand root;

    @Parameters(arity = "1..*", paramLabel = "FILE.yaml",
            description = "Camel YAML DSL files, or application plans (a top-level application: key).")
    List<Path> files;

    @Option(names = "--worker", paramLabel = "NAME",
            description = "Share the migrations with other processes on the same journal (a PostgreSQL --journal),"
                    + " each with its own unique NAME (see docs/scale-out.md).")
    String worker;

    @Override
    public Integer call() {
        List<Path> checked = YamlFiles.check(files);
        int applications = ApplicationFiles.run(ApplicationFiles.plans(checked), root);
        List<Path> yaml = ApplicationFiles.routes(checked);
        if (yaml.isEmpty()) {
            return applications;
        }
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
            if (run.nothingRan()) {
                console.warn("no migration found in " + files + ": no route sent anything to a caravan:,"
                        + " caravan-records: or caravan-vm: endpoint");
            }
            RunPrinter printer = new RunPrinter(console);
            for (RunResult r : run.results()) {
                printer.print(r);
            }
            RecordRunPrinter records = new RecordRunPrinter(console);
            List<String> errors = new ArrayList<>(run.errors());
            for (RecordRun r : run.records()) {
                records.print(r);
                errors.removeIf(e -> repeats(e, r));
            }
            new VmRunPrinter(console).print(run.vms());
            errors.forEach(console::error);
            return Math.max(applications, run.exitCode());
        }
    }

    /**
     * Whether a route's error only repeats the failure of a record run whose summary printed it already (with
     * failOnError, the records producer fails the route with "OPERATION ended OUTCOME (first problem)"): said once.
     */
    private static boolean repeats(String error, RecordRun r) {
        return r.exitCode() != 0 && error.startsWith("route '" + r.name() + "': " + r.operation() + " ended ");
    }
}
