package dev.caravan.cli;

import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.journal.RunSummary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caravan resume [RUN_ID]}: continues an interrupted run from the journal (its stored definition), without
 * copying again what is done. Without an id it takes the newest unfinished run.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continues an interrupted run from the journal: nothing done is copied again.",
            "Without RUN_ID: the newest unfinished run. See 'caravan status' for run ids."})
final class ResumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** How many recent runs are searched for an unfinished one. */
    static final int SEARCH_LIMIT = 200;

    @ParentCommand
    CaravanCommand root;

    @Parameters(arity = "0..1", paramLabel = "RUN_ID", description = "The run to resume (default: newest unfinished).")
    String runId;

    @Option(names = "--source-option", paramLabel = "KEY=VALUE", description = "A secret option of the source, "
            + "given again: the journal keeps no secrets (e.g. secretAccessKey=...).")
    Map<String, String> sourceSecrets = new LinkedHashMap<>();

    @Option(names = "--target-option", paramLabel = "KEY=VALUE", description = "A secret option of the target, "
            + "given again.")
    Map<String, String> targetSecrets = new LinkedHashMap<>();

    @Option(names = "--backup-option", paramLabel = "KEY=VALUE", description = "A secret option of the backup dir, "
            + "given again.")
    Map<String, String> backupSecrets = new LinkedHashMap<>();

    @Mixin
    LimitOptions limits;

    @Override
    public Integer call() {
        RepeatedOptions.refuse(spec, "--source-option", "--target-option", "--backup-option");
        Console console = root.console();
        try (MigrationEngine engine = MigrationEngine.open(root.settings())) {
            String id = runId;
            if (id == null) {
                Optional<RunSummary> newest = engine.journal().runs(SEARCH_LIMIT).stream()
                        .filter(r -> r.finishedAt() == null).findFirst();
                if (newest.isEmpty()) {
                    console.info("nothing to resume: no unfinished run in the journal");
                    return Main.OK;
                }
                id = newest.get().runId();
                console.info("resuming run " + id + " (" + newest.get().description() + ", started "
                        + Formats.timestamp(newest.get().startedAt()) + ")");
            }
            ProgressListener progress = root.progress();
            RunResult result;
            try {
                result = engine.resume(id, sourceSecrets, targetSecrets, backupSecrets, limits::applyTo, progress);
            } finally {
                ProgressPrinter.finish(progress);
            }
            return new RunPrinter(console).print(result);
        }
    }
}
