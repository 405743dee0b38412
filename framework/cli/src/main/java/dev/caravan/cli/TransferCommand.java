package dev.caravan.cli;

import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.verify.VerifyMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code copy}, {@code sync} and {@code move}: a one-line migration run straight on the core engine, without
 * starting Camel (like {@code rclone copy}). The spec is built and its connectors and options are checked before
 * the journal is opened, so bad input fails fast with exit code 2.
 */
abstract class TransferCommand implements Callable<Integer> {
    @Spec
    CommandSpec commandSpec;


    @ParentCommand
    CaravanCommand root;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Source location, e.g. local:/data.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "Target location, e.g. local:/backup.")
    String target;

    @Mixin
    FilterOptions filters;

    @Option(names = "--max-delete", paramLabel = "N|N%",
            description = "sync/move guard: refuse to run if more than N objects (or N%% of them) would be "
                    + "deleted: of the target for sync, of the source for move.")
    String maxDelete;

    @Option(names = "--metadata-rule", paramLabel = "RULE",
            description = "Maps the descriptive attributes of copies (streamed or server-side) before they are "
                    + "written (repeatable, applied in order): drop:GLOB (e.g. drop:tag.*), rename:FROM=TO (e.g. "
                    + "rename:cacheControl=metadata.cache-control) or lowercase (user metadata keys). What the target "
                    + "cannot hold after the rules is listed in the report.")
    List<String> metadataRules;

    @Option(names = "--key-map", paramLabel = "RULE",
            description = "Writes source keys as other target keys (repeatable): replace:C=R writes every character "
                    + "C as R, e.g. replace:\\=\uff3c for Azure Blob, which turns a backslash into '/'; trailing:C=R "
                    + "writes C as R where it ends a file or folder name, e.g. trailing:.=\uff0e for Azure Blob, "
                    + "which drops such dots. "
                    + "Reruns, sync deletions, moves and verify pair objects by these target keys; the same rules "
                    + "must be given each time. Without it, keys the target cannot hold are named by the plan and "
                    + "fail.")
    List<String> keyMap;

    @Option(names = "--transfers", paramLabel = "N", description = "Objects moved in parallel (default: 4).")
    Integer transfers;

    @Option(names = {"--bwlimit", "--bandwidth"}, paramLabel = "RATE", converter = Converters.Size.class,
            description = "Bandwidth limit in bytes per second for all transfers, e.g. 10M (default: none). "
                    + "--bandwidth is the same, as the templates' parameter is named.")
    Long bandwidth;

    @Option(names = "--verify", paramLabel = "MODE",
            description = "How each copy is checked before it is published: none, size or sha256 (default: sha256).")
    VerifyMode verify;

    @Option(names = "--compare", paramLabel = "HOW", converter = Converters.CompareMode.class,
            completionCandidates = Converters.CompareNames.class,
            description = "How an object already on the target is recognised: size-mtime, size or checksum "
                    + "(default: size-mtime).")
    Compare compare;

    @Option(names = "--retries", paramLabel = "N",
            description = "Retries per object after the first attempt, for transient errors (default: 5).")
    Integer retries;

    @Option(names = "--outage-wait", paramLabel = "DURATION", converter = Converters.Age.class,
            description = "How long a server that refuses connections after it has answered (restarting, failing"
                    + " over) is waited for before the run stops, unfinished, to be continued by the same command;"
                    + " not counted in --retries (default: 25s; 0 stops at the first refusal).")
    Duration outageWait;

    @Mixin
    LimitOptions limits;

    @Mixin
    BackupOptions backup;

    @Option(names = {"-n", "--dry-run"}, description = "Only plan: show what would happen; write nothing.")
    boolean dryRun;

    @Option(names = "--name", paramLabel = "NAME", description = "A name for the reports (default: SOURCE -> TARGET).")
    String name;

    @Option(names = "--worker", paramLabel = "NAME",
            description = "Share this migration with other processes on the same journal (a PostgreSQL --journal):"
                    + " each runs it with its own unique NAME and they split the tasks (see docs/scale-out.md).")
    String worker;

    @Option(names = "--source-option", paramLabel = "KEY=VALUE",
            description = "A connector option of the source (repeatable); see 'caravan describe SCHEME'.")
    Map<String, String> sourceOptions = new LinkedHashMap<>();

    @Option(names = "--target-option", paramLabel = "KEY=VALUE",
            description = "A connector option of the target (repeatable).")
    Map<String, String> targetOptions = new LinkedHashMap<>();

    /** The mode this subcommand runs. */
    abstract Mode mode();

    @Override
    public Integer call() {
        MigrationSpec spec = spec();
        Connectors.check(spec);
        Console console = root.console();
        try (MigrationEngine engine = MigrationEngine.open(worker == null ? root.settings()
                : root.settings().withWorker(worker))) {
            if (dryRun) {
                PlanResult plan = engine.plan(spec);
                new PlanPrinter(console).print(plan);
                return PlanPrinter.exitCode(plan);
            }
            ProgressListener progress = root.progress();
            RunResult result;
            try {
                result = engine.run(spec, progress);
            } finally {
                ProgressPrinter.finish(progress);
            }
            return new RunPrinter(console).print(result);
        }
    }

    /** The migration these arguments describe; unset options keep the engine's defaults. */
    MigrationSpec spec() {
        RepeatedOptions.refuse(commandSpec, "--source-option", "--target-option", "--backup-option");
        MigrationSpec.Builder b = MigrationSpec.builder(source, target)
                .mode(mode())
                .filters(filters.toFilters())
                .sourceOptions(sourceOptions)
                .targetOptions(targetOptions)
                .maxDelete(maxDelete);
        if (metadataRules != null) {
            b.metadataRules(metadataRules);
        }
        if (keyMap != null) {
            b.keyMap(keyMap);
        }
        if (name != null) {
            b.name(name);
        }
        if (transfers != null) {
            b.transfers(transfers);
        }
        if (bandwidth != null) {
            b.bandwidth(bandwidth);
        }
        if (verify != null) {
            b.verify(verify);
        }
        if (compare != null) {
            b.compare(compare);
        }
        if (retries != null) {
            b.retries(retries);
        }
        if (outageWait != null) {
            b.outageWait(outageWait);
        }
        return backup.applyTo(limits.applyTo(b.build()));
    }
}
