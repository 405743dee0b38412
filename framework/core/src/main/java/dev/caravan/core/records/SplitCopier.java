package dev.caravan.core.records;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.ResumableSink;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.WriteReport;
import dev.caravan.core.retry.RetryPolicy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one split: read a batch, map it, write it, commit it, checkpoint it (the reader's own resume keys plus
 * {@code records.lastKey}, {@code records.rows}, {@code records.rejected}). A split that starts while at most one per
 * two cores is copying (itself included) reads and maps on a thread of its own, up to {@link #READ_AHEAD} batches
 * ahead ({@link ReadAhead}), so the source is read while the target writes and commits (about a third of a writer's
 * time is spent waiting for the server to take a batch); checkpoints still follow the writer's commits. With more
 * splits at once the extra threads only compete with the writers and the database (measured slower on 2 cores).
 *
 * <p>Why this is safe: the target commit and the journal checkpoint are two transactions, so a kill between them
 * leaves rows in the target that the journal does not know of. A split therefore owns its key range in the target:
 * a split that was begun before (a killed run, a transient failure, an earlier run of the same migration) first
 * asks the sink to delete the rows of its range after the last checkpoint ({@link ResumableSink}; the whole range
 * when there is no checkpoint) and then continues from that checkpoint. Rows are deleted and rewritten, never
 * duplicated or lost; upsert sinks skip the delete since rewriting is idempotent. Without the capability the split
 * restarts from its beginning.
 *
 * <p>For the same reason the per-batch checkpoints of a resumable sink are written behind
 * ({@link Journal#checkpointLater}): a checkpoint the journal has not stored yet when the process dies only means
 * more rows are discarded and copied again. The split's {@code complete} is queued after its last checkpoint.
 */
final class SplitCopier {
    private static final Logger LOG = LoggerFactory.getLogger(SplitCopier.class);
    static final String LAST_KEY = "records.lastKey";
    static final String ROWS = "records.rows";
    static final String REJECTED = "records.rejected";
    /** Batches read ahead of the writer per split when there are cores to spare (see {@link ReadAhead}). */
    static final int READ_AHEAD = 2;

    private final Journal journal;
    private final String runId;
    private final RetryPolicy retry;
    private final RecordMigrationListener listener;
    private final boolean runResumed;
    private final int readAhead;
    private final int cores = Runtime.getRuntime().availableProcessors();
    /** Splits being copied now (the read-ahead decision of a starting split). */
    private final AtomicInteger copying = new AtomicInteger();

    /**
     * @param runResumed whether the run was taken up after a kill: then every unfinished split is treated as begun,
     *                   since a journal may write {@code begin} behind (it is not relied upon)
     * @param readAhead  batches a split reads ahead on a thread of its own when it does (see the class comment); 0
     *                   never
     */
    SplitCopier(Journal journal, String runId, RetryPolicy retry, RecordMigrationListener listener,
            boolean runResumed, int readAhead) {
        this.journal = journal;
        this.runId = runId;
        this.retry = retry;
        this.listener = listener;
        this.runResumed = runResumed;
        this.readAhead = readAhead;
    }

    void copy(TableJob job, Split split, TaskId id) {
        TaskRecord rec = journal.task(id).orElseThrow(() -> new IllegalStateException("task " + id + " not planned"));
        if (rec.state() == TaskState.DONE) {
            job.rows.addAndGet(rec.report() == null ? 0 : rec.report().bytes());
            job.rejected.addAndGet(rec.report() == null ? 0
                    : Long.parseLong(rec.report().values().getOrDefault(REJECTED, "0")));
            return;
        }
        job.started();
        // begun before: a checkpoint of this split (the journal's record always carries the bytes done, which says
        // nothing), an attempt, or a run taken up after a kill. Only then is anything of the target discarded: a first
        // attempt that took itself for a resume removed the rows an append found in the split's range, and refused
        // every table without a key
        boolean begun = rec.checkpoint().get(LAST_KEY) != null || rec.checkpoint().get(ROWS) != null;
        boolean[] resume = {runResumed || rec.attempts() > 0 || begun};
        Checkpoint[] cp = {rec.checkpoint()};
        journal.begin(runId, id);
        int ahead = copying.incrementAndGet() * 2 <= cores ? readAhead : 0;
        try {
            retry.call("copying " + job.table + " split " + split.id(), () -> {
                if (resume[0]) {
                    cp[0] = discard(job, split, cp[0]);
                }
                resume[0] = true;
                attempt(job, split, id, cp, ahead);
                return null;
            });
            Map<String, String> facts = new HashMap<>();
            facts.put(ROWS, value(cp[0], ROWS));
            facts.put(REJECTED, value(cp[0], REJECTED));
            journal.complete(runId, id, new TaskReport(Long.parseLong(value(cp[0], ROWS)), facts));
        } catch (RuntimeException e) {
            job.rows.addAndGet(Long.parseLong(value(cp[0], ROWS))); // committed and checkpointed before failing
            job.rejected.addAndGet(Long.parseLong(value(cp[0], REJECTED)));
            job.splitsFailed.incrementAndGet();
            String kind = e instanceof MigrationException m ? m.kind().name() : "FATAL";
            String message = e instanceof MigrationException ? e.getMessage() : e.toString();
            job.failed("split " + split.id() + ": " + message);
            journal.fail(runId, id, kind, message);
            LOG.warn("{} split {} failed: {}", job.table, split.id(), message);
        } finally {
            copying.decrementAndGet();
            job.ended();
        }
    }

    /**
     * Removes what was committed after the checkpoint; returns the checkpoint to continue from. Without a checkpointed
     * key (a keyless table, read in one pass) the sink removes the whole split, so the split starts again, and so do
     * its counts: they were the sum of both attempts.
     */
    private Checkpoint discard(TableJob job, Split split, Checkpoint cp) {
        Optional<ResumableSink> resumable = job.sink.capability(ResumableSink.class);
        if (resumable.isPresent()) {
            resumable.get().discardAfter(job.targetSchema(), split, cp.get(LAST_KEY));
            return cp.get(LAST_KEY) == null ? Checkpoint.EMPTY : cp;
        }
        LOG.info("{} split {}: the sink cannot discard after a checkpoint; the split starts again", job.table,
                split.id());
        return Checkpoint.EMPTY;
    }

    private void attempt(TableJob job, Split split, TaskId id, Checkpoint[] cp, int ahead) {
        long rows = Long.parseLong(value(cp[0], ROWS));
        long rejected = Long.parseLong(value(cp[0], REJECTED));
        job.rows.addAndGet(rows);
        job.rejected.addAndGet(rejected);
        // a sink that can discard after a checkpoint commits every batch; any other sink commits once per split
        // (its writers may not be reusable after a commit, and a resume restarts the split anyway)
        boolean perBatch = job.sink.capability(ResumableSink.class).isPresent();
        try (RecordReader reader = job.source.open(split, cp[0]);
                ReadAhead batches = new ReadAhead(reader, job::map, ahead, "caravan-read-" + job.table + "-"
                        + split.id());
                RecordWriter writer = job.sink.open(job.targetSchema(), split)) {
            ReadAhead.Item next;
            String lastKey = null;
            Checkpoint readerState = Checkpoint.EMPTY;
            while ((next = batches.next()) != null) {
                RecordBatch batch = next.batch();
                writer.write(batch);
                lastKey = batch.lastKey() != null ? batch.lastKey() : lastKey;
                readerState = next.readerState();
                if (perBatch) {
                    WriteReport report = writer.commit();
                    rows += report.rowsWritten();
                    rejected += report.rowsRejected();
                    checkpoint(job, split, id, cp, readerState, lastKey, rows, rejected, report, true);
                    if (Thread.currentThread().isInterrupted()) { // the run is ending: stop at this checkpoint
                        throw new MigrationException(ErrorKind.FATAL, "stopped after the batch ending at key "
                                + lastKey + " (the run is ending)");
                    }
                }
            }
            if (!perBatch) {
                WriteReport report = writer.commit();
                rows += report.rowsWritten();
                rejected += report.rowsRejected();
                checkpoint(job, split, id, cp, readerState, lastKey, rows, rejected, report, false);
            }
        } catch (RuntimeException e) {
            // what this attempt counted but did not checkpoint is discarded or re-counted by the next attempt
            job.rows.addAndGet(-Long.parseLong(value(cp[0], ROWS)));
            job.rejected.addAndGet(-Long.parseLong(value(cp[0], REJECTED)));
            throw e;
        }
    }

    private void checkpoint(TableJob job, Split split, TaskId id, Checkpoint[] cp, Checkpoint readerState,
            String lastKey, long rows, long rejected, WriteReport report, boolean behind) {
        Map<String, String> values = new HashMap<>(readerState.values());
        if (lastKey != null) {
            values.put(LAST_KEY, lastKey);
        }
        values.put(ROWS, Long.toString(rows));
        values.put(REJECTED, Long.toString(rejected));
        values.put("copy.bytes", Long.toString(rows));
        cp[0] = new Checkpoint(values);
        if (behind) {
            journal.checkpointLater(id, cp[0]); // a resume discards past the checkpoint the journal has
        } else {
            journal.checkpoint(id, cp[0]);
        }
        job.rows.addAndGet(report.rowsWritten());
        job.rejected.addAndGet(report.rowsRejected());
        listener.batchCommitted(job.table, split.id(), report.rowsWritten(), report.rowsRejected(), lastKey);
    }

    private static String value(Checkpoint cp, String key) {
        String v = cp.get(key);
        return v == null ? "0" : v;
    }
}
