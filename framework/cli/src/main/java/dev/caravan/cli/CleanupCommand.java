package dev.caravan.cli;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.engine.UploadCleanup;
import dev.caravan.core.journal.JdbcJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caravan cleanup LOCATION}: aborts the unfinished uploads a store keeps and bills (S3 multipart uploads of a
 * killed process, of another tool), except those an unfinished run of the journal goes on from; those its superseded
 * tasks record whatever their age ({@link UploadCleanup}); with {@code --migration}, those of one migration only.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Aborts the unfinished multipart uploads under LOCATION (their parts are stored and billed, yet "
                + "no listing shows them): those a killed process or another tool left, started longer ago than "
                + "--older-than.",
            "Uploads an unfinished run of this journal goes on from are kept whatever their age (caravan resume "
                + "continues them); those recorded by tasks of this journal that no run continues any more (their "
                + "object changed or went away on the source since) are aborted whatever their age.",
            "With --migration ID, only the uploads that tasks of that migration record are aborted, whatever their "
                + "age (those a plan or run of another migration names, for objects it no longer copies)."})
final class CleanupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    CaravanCommand root;

    @Parameters(index = "0", paramLabel = "LOCATION", description = "The location to clean, e.g. s3:bucket/data.")
    String location;

    @Option(names = "--older-than", paramLabel = "AGE", defaultValue = "24h", converter = Converters.Age.class,
            description = "Abort only uploads started longer ago than this, so that an upload another tool is "
                    + "running now is left alone (default: ${DEFAULT-VALUE}; 0 aborts all but the resumable ones).")
    Duration olderThan;

    @Option(names = {"-n", "--dry-run"}, description = "Abort nothing; list what would be aborted.")
    boolean dryRun;

    @Option(names = "--migration", paramLabel = "ID", description = "Abort only the uploads that tasks of this "
            + "migration of the journal record, whatever their age, and clear their tasks' checkpoints; the "
            + "location's other uploads are left alone. Refused while that migration runs.")
    String migration;

    @Option(names = {"--target-option", "--option"}, paramLabel = "KEY=VALUE",
            description = "A connector option of LOCATION (repeatable); see 'caravan describe SCHEME'.")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (olderThan.isNegative()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--older-than must not be negative");
        }
        Console console = root.console();
        UploadCleanup.Result result;
        boolean journalKnowsNoRun;
        String journalUrl = root.settings().journalUrl();
        try (JdbcJournal journal = JdbcJournal.open(journalUrl).awaitOpen();
                ObjectStore store = ManifestCommand.open(location, options)) {
            if (migration != null) {
                return ofMigration(console, journal, store);
            }
            journalKnowsNoRun = journal.runs(1).isEmpty();
            result = UploadCleanup.run(store, journal.uploads().recorded(), journal.uploads()::forget, olderThan,
                    dryRun, Instant.now());
        }
        if (!result.supported()) {
            console.print("nothing to clean: " + location + " keeps no unfinished uploads");
            return Main.OK;
        }
        if (journalKnowsNoRun && !result.items().isEmpty()) {
            console.warn("the journal " + journalUrl + " records no migration, so no upload is known to be resumable: "
                    + "the uploads of migrations run with another --home or --journal were treated as any other "
                    + "(run cleanup with theirs to keep what they go on from)");
        }
        list(console, result);
        long superseded = result.count(UploadCleanup.Action.ABORTED_SUPERSEDED);
        long done = result.count(dryRun ? UploadCleanup.Action.WOULD_ABORT : UploadCleanup.Action.ABORTED)
                + superseded;
        long recent = result.count(UploadCleanup.Action.KEPT_RECENT);
        console.print((dryRun ? "would abort " : "aborted ") + Formats.plural(done, "unfinished upload")
                + (superseded == 0 ? "" : " (" + superseded + " recorded by tasks no run continues any more, whatever"
                        + " their age)")
                + "; kept " + result.count(UploadCleanup.Action.KEPT_RESUMABLE) + " that unfinished runs go on from"
                + (olderThan.isZero() ? "" : " and " + recent + " started less than " + Formats.duration(olderThan)
                        + " ago (or at a time the store does not report)"));
        console.out().flush();
        return Main.OK;
    }

    /** {@code --migration}: aborts the uploads that tasks of that migration record, and only those. */
    private Integer ofMigration(Console console, JdbcJournal journal, ObjectStore store) {
        UploadCleanup.runningIn(journal, migration).ifPresent(owner -> {
            throw dev.caravan.api.error.MigrationException.userConfig("migration " + migration + " is running now ("
                    + owner + "), and its uploads with it: run cleanup --migration once it has stopped");
        });
        UploadCleanup.Result result = UploadCleanup.ofMigration(store, migration, journal.uploads().recorded(),
                journal.uploads()::forget, dryRun);
        if (!result.supported()) {
            console.print("nothing to clean: " + location + " keeps no unfinished uploads");
            return Main.OK;
        }
        list(console, result);
        console.print((dryRun ? "would abort " : "aborted ") + Formats.plural(result.items().size(),
                "unfinished upload") + " of migration " + migration + " under " + location + (result.items().isEmpty()
                ? " (the journal records none there: a mistyped id, or aborted already?)" : ""));
        console.out().flush();
        return Main.OK;
    }

    /** Lists each upload of {@code result}: action, key, upload id, start. */
    private static void list(Console console, UploadCleanup.Result result) {
        if (!result.items().isEmpty()) {
            TextTable t = new TextTable("ACTION", "KEY", "UPLOAD", "STARTED");
            for (UploadCleanup.Item i : result.items()) {
                t.row(shown(i.action()), i.upload().key(), i.upload().id(),
                        i.upload().started() == null ? "unknown" : Formats.timestamp(i.upload().started()));
            }
            console.out().print(t.render());
        }
    }

    private static String shown(UploadCleanup.Action a) {
        return switch (a) {
            case ABORTED -> "aborted";
            case ABORTED_SUPERSEDED -> "aborted (superseded)";
            case WOULD_ABORT -> "would abort";
            case KEPT_RESUMABLE -> "kept (resumable)";
            case KEPT_RECENT -> "kept (recent)";
        };
    }
}
