package dev.caravan.cli;

import dev.caravan.core.engine.PlanResult;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.PlanOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code caravan plan FILE.yaml...}: a dry run of every migration in the files: what would be copied, replaced
 * and deleted (counts and bytes), the first actions, the preflight checks and any refusal. Nothing is written to
 * the target.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Dry run: shows what the migrations in the YAML files would copy, replace and delete, the "
                + "preflight checks and any refusal. Writes nothing to the targets.",
            "Exit code 0 when every migration could run, 2 when one would be refused."})
final class PlanCommand implements Callable<Integer> {

    @ParentCommand
    CaravanCommand root;

    @Parameters(arity = "1..*", paramLabel = "FILE.yaml", description = "Camel YAML DSL files.")
    List<Path> files;

    @Option(names = "--json", description = "Print the plans as one JSON document.")
    boolean json;

    /**
     * 2 when a plan would be refused (the run would stop with bad input before writing anything, as
     * {@code copy --dry-run} reports it), else the runtime's code (1 when a migration could not be planned).
     */
    static int exitCode(PlanOutcome outcome) {
        int code = outcome.exitCode();
        for (PlanResult plan : outcome.plans()) {
            code = Math.max(code, PlanPrinter.exitCode(plan));
        }
        return code;
    }

    @Override
    public Integer call() {
        List<Path> yaml = YamlFiles.check(files);
        Console console = root.console();
        try (CaravanRuntime runtime = CaravanRuntime.create(root.settings())) {
            PlanOutcome outcome = runtime.planRoutes(yaml);
            int code = exitCode(outcome);
            if (json) {
                console.print(PlanJson.render(outcome.plans(), outcome.errors(), code));
                return code;
            }
            if (outcome.plans().isEmpty() && outcome.errors().isEmpty()) {
                console.warn("no migration found in " + files);
            }
            PlanPrinter printer = new PlanPrinter(console);
            for (PlanResult plan : outcome.plans()) {
                printer.print(plan);
            }
            outcome.errors().forEach(console::error);
            return code;
        }
    }
}
