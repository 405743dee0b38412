package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.store.PutRequest;
import dev.caravan.core.plan.PlannedTask;
import dev.caravan.core.testing.MultipartMemoryStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server-side copy made in parts continues the upload its task's checkpoint records when it copies the same source
 * version, and otherwise has that upload aborted before its own replaces it in the checkpoint.
 */
class ServerSidePartJournalTest {
    private static final long PART = 5L << 20;
    private static final String KEY = "big.bin";

    private MultipartMemoryStore target;
    private String recordedId;
    private String recordedVersion;

    @BeforeEach
    void recordedUpload() {
        target = new MultipartMemoryStore();
        recordedId = target.begin(KEY, PutRequest.ofSize(3 * PART));
        recordedVersion = UUID.randomUUID().toString();
    }

    private ServerSidePartJournal parts() {
        Map<String, String> cp = new HashMap<>(MultipartCopy.checkpointOf(target.uri(), KEY, recordedId, PART,
                Map.of(), 0));
        cp.put(ServerSidePartJournal.SOURCE_VERSION, recordedVersion);
        TaskRecord task = new TaskRecord(new TaskSpec(TaskId.of("mem:a", "mpu:test", KEY), PlannedTask.COPY, KEY,
                3 * PART), "run", TaskState.RUNNING, 1, new Checkpoint(cp), null, null);
        return new ServerSidePartJournal(task, DetachedJournal.INSTANCE, Optional.of(target), target.uri(), KEY,
                HardCutoff.never(), RecordedUpload.of(task.checkpoint(), KEY, target, warning -> { }));
    }

    @Test
    void anotherSourceVersionHasTheRecordedUploadAbortedWhenTheNewOneBegins() {
        ServerSidePartJournal parts = parts();

        assertThat(parts.resume(PART, UUID.randomUUID().toString())).isEmpty();
        parts.begun(UUID.randomUUID().toString(), PART, UUID.randomUUID().toString());

        assertThat(target.unfinished()).as("the recorded upload").isEmpty();
        assertThat(target.abortedKeys).containsExactly(KEY);
    }

    @Test
    void theSameSourceVersionContinuesTheRecordedUpload() {
        ServerSidePartJournal parts = parts();

        assertThat(parts.resume(PART, recordedVersion)).get().extracting(r -> r.uploadId()).isEqualTo(recordedId);
        parts.begun(recordedId, PART, recordedVersion);
        parts.finished();

        assertThat(target.abortedKeys).isEmpty();
        assertThat(target.unfinished()).hasSize(1);
    }

    @Test
    void aCopyInOneRequestHasTheRecordedUploadAbortedOnceDone() {
        ServerSidePartJournal parts = parts();

        parts.finished();

        assertThat(target.unfinished()).isEmpty();
        assertThat(target.abortedKeys).containsExactly(KEY);
    }
}
