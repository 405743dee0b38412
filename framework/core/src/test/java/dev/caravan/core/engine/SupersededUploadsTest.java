package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.TaskUploads;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import dev.caravan.core.testing.MultipartMemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload an interrupted run recorded in a task's checkpoint that no task of the migration continues any more (the
 * source object changed or went away since, so the plan made again has another task for it, or none) is aborted by the
 * next run, and only then: a run that finds nothing superseded asks the target for nothing. So is one that the task's
 * rerun does not continue, sending the object another way.
 */
class SupersededUploadsTest {
    private static final long PART = 1 << 20;
    private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path home;

    private MemoryStore source;
    private MultipartMemoryStore target;
    private final Random random = new Random(11);

    @BeforeEach
    void stores() {
        MemoryStore.reset();
        source = MemoryStore.named("sup-src");
        source.add("big.bin", bytes(), FIRST);
        source.add("small.txt", new byte[] {1, 2, 3}, FIRST);
        target = new MultipartMemoryStore();
        target.largestSingleRequest = PART; // the big object goes through the journaled upload, in parts of PART
        target.preferredPartSize = PART;
    }

    private byte[] bytes() {
        byte[] data = new byte[(int) (3 * PART + PART / 2)];
        random.nextBytes(data);
        return data;
    }

    private MigrationEngine engine() {
        return engine(EngineSettings.defaults().withHome(home).withJournalUrl(url()));
    }

    /** The journal's URL: an embedded H2 file here, a PostgreSQL database in {@link SupersededUploadsPostgresIT}. */
    String url() {
        return "jdbc:h2:file:" + home.resolve("journal");
    }

    private MigrationEngine engine(EngineSettings settings) {
        return MigrationEngine.open(settings, ConnectorRegistry.of(new MemoryStoreProvider(),
                MultipartResumeTest.provider(target)));
    }

    private static MigrationSpec spec() {
        return spec(List.of());
    }

    private static MigrationSpec spec(List<String> keyMap) {
        return MigrationSpec.builder("mem:sup-src", "mpu:test").retries(0).retryBaseDelay(Duration.ofMillis(1))
                .keyMap(keyMap).build();
    }

    /** The first run dies at part 3 of big.bin, its upload recorded: finished FAILED, or left unfinished (killed). */
    private void interruptedRun(MigrationEngine engine, boolean killed) {
        interruptedRun(engine, killed, spec());
    }

    /** As {@link #interruptedRun(MigrationEngine, boolean)}, a run of {@code spec}. */
    private void interruptedRun(MigrationEngine engine, boolean killed, MigrationSpec spec) {
        target.failFromPart = 3;
        target.failFromPartKind = killed ? ErrorKind.FATAL : ErrorKind.TRANSIENT;
        try {
            assertThat(engine.run(spec, ProgressListener.NONE).outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(killed).as("a killed run does not finish").isFalse();
        } catch (MigrationException e) {
            assertThat(killed).as("only a killed run ends with an exception: " + e).isTrue();
        }
        assertThat(target.openUploads()).as("the interrupted upload").isEqualTo(1);
        target.failFromPart = 0;
    }

    private RunResult rerunCompletes(MigrationEngine engine) {
        RunResult rerun = engine.run(spec(), ProgressListener.NONE);
        assertThat(rerun.outcome()).as(rerun.toString()).isEqualTo(RunOutcome.COMPLETE);
        return rerun;
    }

    /** The run's one warning names the upload of big.bin left on the store, for {@code caravan cleanup}. */
    private static void assertWarnsOfTheUploadLeftForCleanup(RunResult run) {
        assertThat(run.warnings()).singleElement().asString().contains("big.bin", "could not abort",
                "caravan cleanup");
    }

    /** The source's object changed since the interrupted run: the rerun copies the new bytes, aborts the old upload. */
    private void assertAChangedSourceHasTheRecordedUploadAborted(MigrationEngine engine) {
        byte[] changed = bytes();
        source.add("big.bin", changed, FIRST.plusSeconds(60));

        rerunCompletes(engine);

        assertThat(target.memory().bytes("big.bin")).isEqualTo(changed);
        assertThat(target.openUploads()).as("unfinished uploads").isZero();
        assertThat(target.abortedKeys).containsExactly("big.bin");
    }

    /** After a run that failed mid-object ({@code killed} false) or was cut short as a kill leaves it (true). */
    @ParameterizedTest(name = "killed: {0}")
    @ValueSource(booleans = {false, true})
    void aSourceChangedSinceAnInterruptedRunHasTheRecordedUploadAborted(boolean killed) {
        try (MigrationEngine engine = engine()) {
            interruptedRun(engine, killed);
            assertAChangedSourceHasTheRecordedUploadAborted(engine);
        }
    }

    @Test
    void anObjectDeletedOnTheSourceSinceAKilledRunHasTheRecordedUploadAborted() {
        try (MigrationEngine engine = engine()) {
            interruptedRun(engine, true);
            source.delete("big.bin");

            rerunCompletes(engine);

            assertThat(target.memory().stat("big.bin")).isEmpty();
            assertThat(target.openUploads()).as("unfinished uploads").isZero();
            assertThat(target.abortedKeys).containsExactly("big.bin");
        }
    }

    /**
     * A rerun that writes the object under another key (a key map given since: another migration, whose plan takes
     * the task over with its checkpoint) cannot go on with the upload recorded under the old key: it aborts that one,
     * under the key it records, says so in the run's warnings, and sends the object to its new key.
     */
    @Test
    void anUploadRecordedUnderAKeyTheTaskNoLongerWritesIsAborted() {
        try (MigrationEngine engine = engine()) {
            interruptedRun(engine, true);

            RunResult rerun = engine.run(spec(List.of("replace:.=\uff0e")), ProgressListener.NONE);

            assertThat(rerun.outcome()).as(rerun.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.memory().bytes("big\uff0ebin")).isEqualTo(source.bytes("big.bin"));
            assertThat(target.openUploads()).as("unfinished uploads").isZero();
            assertThat(target.abortedKeys).containsExactly("big.bin");
            assertThat(rerun.warnings()).singleElement().asString().contains("big.bin", "big\uff0ebin");
            assertThat(((JdbcJournal) engine.journal()).uploads().recorded()).as("forgotten").isEmpty();
        }
    }

    @Test
    void anAbortedUploadIsForgottenAndAnUnchangedRerunAbortsNothing() {
        try (MigrationEngine engine = engine()) {
            interruptedRun(engine, false);
            source.delete("big.bin");
            rerunCompletes(engine);
            int begins = target.begins.size();

            rerunCompletes(engine);
            rerunCompletes(engine);

            assertThat(target.abortedKeys).as("aborted once, then forgotten").containsExactly("big.bin");
            assertThat(target.begins).hasSize(begins);
        }
    }

    @Test
    void anUploadTheRerunContinuesIsNotAborted() {
        try (MigrationEngine engine = engine()) {
            interruptedRun(engine, true);

            rerunCompletes(engine);

            assertThat(target.abortedKeys).isEmpty();
            assertThat(target.begins).as("the recorded upload continued").hasSize(1);
            assertThat(target.openUploads()).isZero();
        }
    }

    /**
     * A task whose rerun sends its object another way than through the upload its checkpoint records (here in a single
     * put: the object is no longer above the threshold of parts) has that upload aborted before it is done; completing
     * the task clears its checkpoint, and nothing would find the upload again.
     */
    @Test
    void aTaskDoneInASinglePutHasTheUploadItRecordedAborted() {
        try (MigrationEngine engine = engine()) {
            interruptedRun(engine, true);
            target.largestSingleRequest = Long.MAX_VALUE;

            rerunCompletes(engine);

            assertThat(target.memory().bytes("big.bin")).isEqualTo(source.bytes("big.bin"));
            assertThat(target.unfinished()).as("unfinished uploads").isEmpty();
            assertThat(target.abortedKeys).containsExactly("big.bin");
        }
    }

    /** An upload the store refuses to abort does not fail the task that sent its object another way. */
    @Test
    void aRefusedAbortOfTheRecordedUploadDoesNotFailTheTaskDoneAnotherWay() {
        try (MigrationEngine engine = engine()) {
            interruptedRun(engine, true);
            target.largestSingleRequest = Long.MAX_VALUE;
            target.refusesAborts = true;

            RunResult rerun = rerunCompletes(engine);

            assertThat(target.memory().bytes("big.bin")).isEqualTo(source.bytes("big.bin"));
            assertThat(target.openUploads()).as("left on the store, named in a warning").isEqualTo(1);
            assertWarnsOfTheUploadLeftForCleanup(rerun);
        }
    }

    /** A run shared by workers ({@code --worker}) aborts them too: the worker that plans it, once it has. */
    @Test
    void aSharedRunAbortsTheUploadsItsPlanSuperseded() {
        try (MigrationEngine engine = engine(sharedBy("w1"))) {
            interruptedRun(engine, false);
            assertAChangedSourceHasTheRecordedUploadAborted(engine);
        }
    }

    /**
     * The upload a task recorded under a key it no longer writes (an earlier run of one process with a key map, which a
     * shared run cannot have) is aborted once, by the worker that plans the shared run, and named in the warnings of
     * the run: here the worker that ends the run and writes the report is another one, the planner having stopped
     * (shut down) before its first task.
     */
    @Test
    void aSharedRunAbortsAnUploadRecordedUnderAnotherKeyAndTheWorkerThatEndsItNamesIt() throws Exception {
        try (MigrationEngine alone = engine()) {
            interruptedRun(alone, true, spec(List.of("replace:.=\uff0e")));
        }
        try (MigrationEngine planner = engine(sharedBy("w1")); MigrationEngine finisher = engine(sharedBy("w2"))) {
            planner.requestStop();
            assertThatThrownBy(() -> planner.run(spec(), ProgressListener.NONE))
                    .hasMessageStartingWith("stopped at a task boundary");
            assertThat(target.begins).as("no task started by the planner").hasSize(1);

            RunResult run = rerunCompletes(finisher);

            assertThat(target.memory().bytes("big.bin")).isEqualTo(source.bytes("big.bin"));
            assertThat(target.openUploads()).as("unfinished uploads").isZero();
            assertThat(target.abortedKeys).as("aborted once").containsExactly("big\uff0ebin");
            assertThat(run.warnings()).singleElement().asString().contains("big\uff0ebin", "aborted",
                    "its task now writes big.bin");
            assertThat(java.nio.file.Files.readString(run.reportJson())).contains("big\uff0ebin");
        }
    }

    /**
     * A warning a worker other than the planner notes itself (here: the store refused to abort the upload big.bin's task
     * recorded, which that worker then sent in a single put) and that worker stopping before the end: the planner,
     * which ends the run, has it in its result and its report, and so has the journal (caravan status), once.
     */
    @Test
    void theWarningOfAWorkerThatDidNotEndTheSharedRunReachesTheResultAndReportOfTheOneThatDid() throws Exception {
        try (MigrationEngine alone = engine()) {
            interruptedRun(alone, true);
        }
        target.largestSingleRequest = Long.MAX_VALUE;
        target.refusesAborts = true;
        try (MigrationEngine planner = engine(sharedBy("w1")); MigrationEngine other = engine(sharedBy("w2"));
                MigrationEngine plannerAgain = engine(sharedBy("w1"))) {
            planner.requestStop();
            assertThatThrownBy(() -> planner.run(spec(), ProgressListener.NONE))
                    .hasMessageStartingWith("stopped at a task boundary");
            target.memory().beforePut = key -> {
                if (key.contains("big.bin")) {
                    other.requestStop(); // w2 stops once big.bin is copied, before the run ends
                }
            };
            assertThatThrownBy(() -> other.run(spec(), ProgressListener.NONE))
                    .hasMessageStartingWith("stopped at a task boundary");
            target.memory().beforePut = key -> { };
            assertThat(target.memory().bytes("big.bin")).as("copied by w2").isEqualTo(source.bytes("big.bin"));

            RunResult run = rerunCompletes(plannerAgain);

            assertWarnsOfTheUploadLeftForCleanup(run);
            assertThat(java.nio.file.Files.readString(run.reportJson())).contains("could not abort");
            assertThat(((JdbcJournal) plannerAgain.journal()).warnings(run.runId())).as("for caravan status")
                    .isEqualTo(run.warnings());
        }
    }

    private EngineSettings sharedBy(String worker) {
        return EngineSettings.defaults().withHome(home).withJournalUrl(url())
                .withWorker(worker);
    }

    /**
     * An upload a superseded task records, which the run could not abort (the store refused), is not one an unfinished
     * run goes on from: {@code caravan cleanup} aborts it, however young, and the journal forgets it.
     */
    @Test
    void cleanupAbortsAnUploadNoTaskContinuesWhateverItsAge() {
        try (MigrationEngine engine = engine()) {
            interruptedRun(engine, true);
            source.add("big.bin", bytes(), FIRST.plusSeconds(60));
            target.refusesAborts = true;
            RunResult rerun = rerunCompletes(engine);
            assertThat(target.openUploads()).as("left by the rerun, which could not abort it").isEqualTo(1);
            assertWarnsOfTheUploadLeftForCleanup(rerun);
            target.refusesAborts = false;
            JdbcJournal journal = (JdbcJournal) engine.journal();

            assertThat(journal.uploads().recorded()).singleElement()
                    .extracting(TaskUploads.Recorded::continued).isEqualTo(false);

            UploadCleanup.Result r = UploadCleanup.run(target, journal.uploads().recorded(), journal.uploads()::forget,
                    Duration.ofHours(24), false, Instant.now());

            assertThat(r.items()).singleElement().extracting(UploadCleanup.Item::action)
                    .isEqualTo(UploadCleanup.Action.ABORTED_SUPERSEDED);
            assertThat(target.openUploads()).isZero();
            assertThat(target.abortedKeys).containsExactly("big.bin");
            assertThat(journal.uploads().recorded()).as("forgotten").isEmpty();
        }
    }
}
