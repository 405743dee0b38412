package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.QuickListing;
import dev.caravan.api.store.StoreFeatures;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.testing.MemoryStore;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rerun's plan asks the journal about the pairs found on both sides a batch at a time
 * ({@link Journal#tasks(Collection)}), not once per pair, and still hands the diff on in key order.
 */
class PlannerJournalLookupTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MemoryStore source = new MemoryStore("lookup-src");
    private final Bucket target = new Bucket();
    private final JdbcJournal jdbc = JdbcJournal.open("jdbc:h2:mem:planner-lookup-" + System.nanoTime());
    private final CountingJournal journal = new CountingJournal(jdbc);
    private final List<TaskSpec> copied = new ArrayList<>();
    private final Map<TaskId, TaskReport> reports = new HashMap<>();

    @AfterEach
    void closeJournal() {
        jdbc.close();
    }

    @Test
    void aRerunOfManyVerifiedCopiesAsksTheJournalOncePerBatchAndStatsNothing() {
        int n = 2 * PairResolver.BATCH + 234;
        for (int i = 0; i < n; i++) {
            copiedAndVerified(key(i), 10 + i % 7);
        }
        recordCopies();

        Planner planner = new Planner(spec(Mode.COPY), source, target, journal);
        List<PlannedTask> tasks = all(planner);

        assertThat(tasks).isEmpty();
        assertThat(planner.summary().sameCount()).isEqualTo(n);
        assertThat(journal.batchLookups.get()).as("one call per batch of pairs").isEqualTo(3);
        assertThat(journal.idsLookedUp.get()).isEqualTo(n);
        assertThat(journal.singleLookups.get()).as("no call per pair").isZero();
        assertThat(target.stats.get()).as("the journal proves every pair unchanged").isZero();
    }

    @Test
    void batchesMixedWithNewExtraAndChangedObjectsKeepKeyOrderAndGiveTheSamePlanAsAskingOneByOne() {
        int n = 1100;
        List<String> expected = new ArrayList<>();
        int unknownPairs = 0;
        for (int i = 0; i < n; i++) {
            String key = key(i);
            switch (i % 4) {
                case 0 -> { // only on the source: copy
                    source.add(key, new byte[5], T0.plusSeconds(i));
                    expected.add("COPY " + key);
                }
                case 1 -> { // only on the target: delete (sync)
                    target.put(ObjectInfo.of(key, 5, T0.plusSeconds(i)), "\"x" + i + "\"");
                    expected.add("DELETE " + key);
                }
                case 2 -> copiedAndVerified(key, 8); // known to the journal: same
                default -> { // a pair the journal knows nothing of: looked at with stat
                    source.add(key, new byte[6], T0.plusSeconds(i));
                    boolean changed = i == 11; // other size: changed, decided from the listings alone
                    target.put(ObjectInfo.of(key, changed ? 7 : 6, T0.plusSeconds(i)), "\"y" + i + "\"");
                    if (changed) {
                        expected.add("REPLACE " + key);
                    } else {
                        unknownPairs++;
                    }
                }
            }
        }
        recordCopies();

        Planner batched = new Planner(spec(Mode.SYNC), source, target, journal);
        List<String> plan = all(batched).stream().map(t -> t.spec().action() + " " + t.spec().item()).toList();
        assertThat(plan).containsExactlyElementsOf(expected);
        assertThat(batched.summary().sameCount()).isEqualTo(n / 4 + unknownPairs);
        assertThat(journal.batchLookups.get()).as("1,100 entries: three batches").isEqualTo(3);
        assertThat(journal.singleLookups.get()).isZero();
        assertThat(target.stats.get()).as("only the pairs the journal knows nothing of").isEqualTo(unknownPairs);

        journal.oneByOne = true; // the interface's default: task(id) per id
        Planner oneByOne = new Planner(spec(Mode.SYNC), source, target, journal);
        assertThat(all(oneByOne).stream().map(t -> t.spec().action() + " " + t.spec().item()))
                .containsExactlyElementsOf(plan);
        assertThat(oneByOne.summary()).isEqualTo(batched.summary());
        assertThat(journal.singleLookups.get()).as("one per pair of equal size").isEqualTo(n / 2 - 1);
    }

    /** A copy Caravan made and verified: on both sides, and its task done in the journal with the copy's facts. */
    private void copiedAndVerified(String key, int size) {
        Instant mtime = T0.plusSeconds(key.hashCode() & 0xffff);
        source.add(key, new byte[size], mtime);
        ObjectInfo listed = source.stat(key).orElseThrow();
        ObjectInfo written = target.put(ObjectInfo.of(key, size, mtime), "\"e-" + key + "\"");
        TaskId id = TaskId.of(source.uri(), target.uri(), "copy:" + key + ":" + size + ":" + mtime.toEpochMilli());
        Map<String, String> facts = new HashMap<>(CopyFacts.of(listed, written));
        facts.put(CopyFacts.VERIFY_METHOD, "sha256");
        copied.add(new TaskSpec(id, PlannedTask.COPY, key, size));
        reports.put(id, new TaskReport(size, facts));
    }

    private void recordCopies() {
        RunInfo run = jdbc.startRun("earlier", "the run before");
        jdbc.plan(run.runId(), copied.iterator());
        for (TaskSpec t : copied) {
            jdbc.begin(run.runId(), t.id());
            jdbc.complete(run.runId(), t.id(), reports.get(t.id()));
        }
        jdbc.finishRun(run.runId(), RunOutcome.COMPLETE, Map.of());
    }

    private static MigrationSpec spec(Mode mode) {
        return MigrationSpec.builder("mem:lookup-src", "bucket:b").mode(mode).compare(Compare.SIZE_MTIME).build();
    }

    private static List<PlannedTask> all(Planner planner) {
        try (planner) {
            List<PlannedTask> out = new ArrayList<>();
            planner.tasks().forEachRemaining(out::add);
            return out;
        }
    }

    private static String key(int i) {
        return String.format("d%02d/k%05d", i / 100, i);
    }

    /** Counts the journal's lookups; with {@link #oneByOne}, answers batches with the interface's default. */
    private static final class CountingJournal implements Journal {
        final AtomicInteger singleLookups = new AtomicInteger();
        final AtomicInteger batchLookups = new AtomicInteger();
        final AtomicInteger idsLookedUp = new AtomicInteger();
        volatile boolean oneByOne;
        private final Journal delegate;

        CountingJournal(Journal delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<TaskRecord> task(TaskId id) {
            singleLookups.incrementAndGet();
            return delegate.task(id);
        }

        @Override
        public Map<TaskId, TaskRecord> tasks(Collection<TaskId> ids) {
            batchLookups.incrementAndGet();
            idsLookedUp.addAndGet(ids.size());
            return oneByOne ? Journal.super.tasks(ids) : delegate.tasks(ids);
        }

        @Override
        public RunInfo startRun(String migrationId, String description) {
            return delegate.startRun(migrationId, description);
        }

        @Override
        public void plan(String runId, Iterator<TaskSpec> tasks) {
            delegate.plan(runId, tasks);
        }

        @Override
        public void begin(String runId, TaskId id) {
            delegate.begin(runId, id);
        }

        @Override
        public void checkpoint(TaskId id, Checkpoint checkpoint) {
            delegate.checkpoint(id, checkpoint);
        }

        @Override
        public void complete(String runId, TaskId id, TaskReport report) {
            delegate.complete(runId, id, report);
        }

        @Override
        public void fail(String runId, TaskId id, String errorKind, String message) {
            delegate.fail(runId, id, errorKind, message);
        }

        @Override
        public void finishRun(String runId, RunOutcome outcome, Map<String, String> nextRunState) {
            delegate.finishRun(runId, outcome, nextRunState);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /**
     * A read-only target shaped like a bucket: a quick listing with key, size and ETag (no kept time), and a
     * {@code stat} (counted) that adds the kept time.
     */
    private static final class Bucket implements ObjectStore, QuickListing {
        final AtomicInteger stats = new AtomicInteger();
        private final ConcurrentSkipListMap<String, ObjectInfo> objects = new ConcurrentSkipListMap<>(ObjectKeys.ORDER);

        ObjectInfo put(ObjectInfo o, String etag) {
            ObjectInfo stored = new ObjectInfo(o.key(), o.size(), o.modTime(), Map.of(), etag, null, Map.of(), -1);
            objects.put(o.key(), stored);
            return stored;
        }

        @Override
        public Stream<ObjectInfo> listQuick(String prefix) {
            return list(prefix).map(o -> new ObjectInfo(o.key(), o.size(), null, Map.of(), o.etag(), null, Map.of(),
                    -1));
        }

        @Override
        public String uri() {
            return "bucket:b";
        }

        @Override
        public StoreFeatures features() {
            return new StoreFeatures(Set.of(), Duration.ofSeconds(1), true, false, true, false, Set.of());
        }

        @Override
        public Stream<ObjectInfo> list(String prefix) {
            return objects.tailMap(prefix, true).values().stream().takeWhile(o -> o.key().startsWith(prefix));
        }

        @Override
        public Optional<ObjectInfo> stat(String key) {
            stats.incrementAndGet();
            return Optional.ofNullable(objects.get(key));
        }

        @Override
        public InputStream open(String key, ByteRange range) {
            throw new UnsupportedOperationException("the plan reads no object");
        }

        @Override
        public ObjectInfo put(String key, InputStream data, PutRequest request) {
            throw new UnsupportedOperationException("the plan writes nothing");
        }

        @Override
        public void delete(String key) {
            throw new UnsupportedOperationException("the plan deletes nothing");
        }
    }
}
