package dev.caravan.cli;

import dev.caravan.core.engine.PlanResult;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.PlanOutcome;
import dev.caravan.runtime.RecordPlan;
import dev.caravan.runtime.VmPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code caravan plan FILE.yaml... [--sample N]}: a dry run of every migration in the files: for object migrations
 * what would be copied, replaced and deleted (counts and bytes), the first actions, the preflight checks and any
 * refusal; for record migrations and conversions the type mapping per table and N converted sample records; for
 * VM moves the hypervisor's preflight checks and forecast. Nothing is written to the target and no VM moves.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Dry run: shows what the migrations in the YAML files would copy, replace and delete, the "
                + "type mapping and sample records of record migrations (--sample N), the preflight checks of VM "
                + "moves, and any refusal. Writes nothing to the targets; no VM moves.",
            "Exit code 0 when every migration could run, 1 when a VM preflight check fails or a migration cannot be"
                + " planned, 2 for bad input or an object migration that would be refused."})
final class PlanCommand implements Callable<Integer> {

    @ParentCommand
    CaravanCommand root;

    @Parameters(arity = "1..*", paramLabel = "FILE.yaml",
            description = "Camel YAML DSL files, or application plans (a top-level application: key).")
    List<Path> files;

    @Option(names = "--json", description = "Print the plans as one JSON document.")
    boolean json;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "0",
            description = "Record migrations and conversions: show the first N records of each table converted as the"
                    + " target would hold them (default ${DEFAULT-VALUE}: the type mapping only).")
    int sample;

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
        List<Path> checked = YamlFiles.check(files);
        int applications = ApplicationFiles.plan(ApplicationFiles.plans(checked), root);
        List<Path> yaml = ApplicationFiles.routes(checked);
        if (yaml.isEmpty()) {
            return applications;
        }
        Console console = root.console();
        try (CaravanRuntime runtime = CaravanRuntime.create(root.settings())) {
            PlanOutcome outcome = runtime.planRoutes(yaml, sample);
            int code = Math.max(applications, exitCode(outcome));
            if (json) {
                console.print(PlanJson.render(outcome, code));
                return code;
            }
            if (outcome.nothingFound()) {
                console.warn("no migration found in " + files);
            }
            PlanPrinter printer = new PlanPrinter(console);
            for (PlanResult plan : outcome.plans()) {
                printer.print(plan);
            }
            RecordPlanPrinter records = new RecordPlanPrinter(console);
            for (RecordPlan plan : outcome.records()) {
                records.print(plan);
            }
            VmPlanPrinter vms = new VmPlanPrinter(console);
            for (VmPlan plan : outcome.vms()) {
                vms.print(plan);
            }
            outcome.errors().forEach(console::error);
            return code;
        }
    }
}
