package dev.caravan.cli;

import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.PlanOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caravan verify SOURCE TARGET} or {@code caravan verify FILE.yaml...}: compares source and target object
 * by object (size, then SHA-256) and prints every mismatch. Exit code 1 on any mismatch.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares SOURCE and TARGET object by object (size, then SHA-256: stored hashes where both "
                + "sides have them, else read from both sides) and prints every mismatch.",
            "With YAML files: verifies each migration they define. Exit code 1 on any mismatch."})
final class VerifyCommand implements Callable<Integer> {
    /** Mismatches printed per migration; the rest are counted. */
    static final int MAX_PROBLEMS = 50;

    @Spec
    CommandSpec spec;

    @ParentCommand
    CaravanCommand root;

    @Parameters(arity = "1..*", paramLabel = "SOURCE TARGET | FILE.yaml",
            description = "Two locations (e.g. local:/a local:/b), or Camel YAML files.")
    List<String> args;

    @Mixin
    FilterOptions filters;

    @Option(names = "--source-option", paramLabel = "KEY=VALUE", description = "A connector option of the source.")
    Map<String, String> sourceOptions = new LinkedHashMap<>();

    @Option(names = "--target-option", paramLabel = "KEY=VALUE", description = "A connector option of the target.")
    Map<String, String> targetOptions = new LinkedHashMap<>();

    @Option(names = "--key-map", paramLabel = "RULE",
            description = "The key map the migration was made with (repeatable; replace:C=R, trailing:C=R): objects are paired by "
                    + "their target keys.")
    List<String> keyMap;

    @Option(names = "--exact", description = "Also report objects that only the target has (MISSING_ON_SOURCE), as"
            + " after a sync: the target must equal the source. Without it, as after a copy, the target may hold"
            + " more.")
    boolean exact;

    @Override
    public Integer call() {
        boolean yaml = args.stream().allMatch(YamlFiles::isYaml);
        if (!yaml && args.size() != 2) {
            throw new ParameterException(spec.commandLine(),
                    "expected SOURCE TARGET (two locations) or YAML files, got " + args.size() + " argument(s)");
        }
        return yaml ? verifyYaml() : verifyLocations();
    }

    private int verifyLocations() {
        RepeatedOptions.refuse(spec, "--source-option", "--target-option");
        MigrationSpec migration = MigrationSpec.builder(args.get(0), args.get(1)).filters(filters.toFilters())
                .sourceOptions(sourceOptions).targetOptions(targetOptions).keyMap(keyMap)
                .mode(exact ? Mode.SYNC : Mode.COPY).build();
        Connectors.check(migration);
        try (MigrationEngine engine = MigrationEngine.open(root.settings())) {
            return print(migration.name(), engine.verify(migration));
        }
    }

    private int verifyYaml() {
        List<Path> files = YamlFiles.check(args.stream().map(Path::of).toList());
        try (CaravanRuntime runtime = CaravanRuntime.create(root.settings())) {
            PlanOutcome outcome = runtime.planRoutes(files);
            List<PlanResult> plans = outcome.plans();
            List<String> errors = new ArrayList<>(outcome.errors());
            List<String> badInput = new ArrayList<>(outcome.badInput());
            List<String> tableErrors = new ArrayList<>();
            List<String> tableBadInput = new ArrayList<>();
            List<Map.Entry<String, VerificationReport>> tables = outcome.records().isEmpty() ? List.of()
                    : runtime.verifyRecordRoutes(files, tableErrors, tableBadInput);
            tableErrors.stream().filter(e -> !errors.contains(e)).forEach(errors::add); // planning said most already
            tableBadInput.stream().filter(e -> !badInput.contains(e)).forEach(badInput::add);
            if (plans.isEmpty() && tables.isEmpty() && errors.isEmpty()) {
                root.console().warn("no migration found in " + args);
            }
            int code = Main.OK;
            for (PlanResult plan : plans) {
                code = Math.max(code, print(plan.spec().name(), runtime.engine().verify(plan.spec())));
            }
            for (Map.Entry<String, VerificationReport> table : tables) {
                code = Math.max(code, print(table.getKey(), table.getValue()));
            }
            // a migration that could not be planned (credentials refused, a missing bucket) was not verified: never 0
            errors.forEach(root.console()::error);
            if (!errors.isEmpty()) {
                code = Math.max(code, errors.size() > badInput.size() ? Main.FAILED : Main.BAD_INPUT);
            }
            return code;
        }
    }

    private int print(String migration, VerificationReport report) {
        Console console = root.console();
        List<String> lines = lines(migration, report);
        if (report.clean()) {
            lines.forEach(console::info);
            return Main.OK;
        }
        lines.forEach(console::print);
        long bad = report.total() - report.count(VerificationOutcome.MATCH);
        console.error("verification of '" + migration + "' found " + Formats.count(bad)
                + (bad == 1 ? " mismatch" : " mismatches"));
        return Main.FAILED;
    }

    /** The verdict and the first mismatches. */
    static List<String> lines(String migration, VerificationReport report) {
        List<String> out = new ArrayList<>();
        out.add("verify " + migration + ": " + Formats.plural(report.total(), "object") + ": "
                + RunPrinter.verification(report));
        List<VerificationItem> problems = report.problems();
        for (VerificationItem item : problems.subList(0, Math.min(MAX_PROBLEMS, problems.size()))) {
            out.add("  " + item.outcome() + "  " + item.item() + RunPrinter.detail(item));
        }
        long more = problems.size() - MAX_PROBLEMS + report.droppedProblems();
        if (more > 0) {
            out.add("  ... and " + Formats.count(more) + " more");
        }
        report.warnings().forEach(w -> out.add("  warning   " + w));
        return out;
    }
}
