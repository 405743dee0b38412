package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskReport;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.store.ObjectInfo;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the journal's record of a copy lets the plan skip looking at an object, and when it does not. */
class CopyFactsTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectInfo LOCAL = ObjectInfo.of("a/b.txt", 5, T);
    private static final ObjectInfo WRITTEN = etagged("\"e1\"", 5);

    @Test
    void aVerifiedCopyWhoseTargetStillShowsItsEtagAndSizeIsUnchanged() {
        TaskRecord done = done(CopyFacts.of(LOCAL, WRITTEN), "sha256-stored");
        assertThat(CopyFacts.unchanged(done, LOCAL, etagged("e1", 5))).as("listings quote ETags differently").isTrue();
        assertThat(CopyFacts.unchanged(done, LOCAL, etagged("\"e2\"", 5))).as("another ETag").isFalse();
        assertThat(CopyFacts.unchanged(done, LOCAL, etagged("\"e1\"", 6))).as("another size").isFalse();
        assertThat(CopyFacts.unchanged(done, LOCAL, etagged(null, 5))).as("no ETag listed").isFalse();
    }

    @Test
    void unverifiedUnfinishedOrUnrecordedCopiesProveNothing() {
        Map<String, String> facts = CopyFacts.of(LOCAL, WRITTEN);
        assertThat(CopyFacts.unchanged(done(facts, "none"), LOCAL, WRITTEN)).isFalse();
        assertThat(CopyFacts.unchanged(done(facts, null), LOCAL, WRITTEN)).isFalse();
        assertThat(CopyFacts.unchanged(done(Map.of(), "sha256"), LOCAL, WRITTEN)).isFalse();
        TaskRecord failed = new TaskRecord(spec(), "run", TaskState.FAILED, 1, Checkpoint.EMPTY,
                done(facts, "sha256").report(), "boom");
        assertThat(CopyFacts.unchanged(failed, LOCAL, WRITTEN)).isFalse();
        assertThat(CopyFacts.unchanged(null, LOCAL, WRITTEN)).isFalse();
        assertThat(CopyFacts.of(LOCAL, etagged(null, 5))).as("a target without ETags records nothing").isEmpty();
    }

    @Test
    void aSourceWithEtagsMustStillShowTheOneThatWasCopied() {
        ObjectInfo s3Source = new ObjectInfo("a/b.txt", 5, T, Map.of(), "\"s1\"", null, Map.of(), -1);
        TaskRecord done = done(CopyFacts.of(s3Source, WRITTEN), "sha256-stored");
        assertThat(CopyFacts.unchanged(done, s3Source, WRITTEN)).isTrue();
        ObjectInfo rewritten = new ObjectInfo("a/b.txt", 5, T, Map.of(), "\"s2\"", null, Map.of(), -1);
        assertThat(CopyFacts.unchanged(done, rewritten, WRITTEN)).isFalse();
        assertThat(CopyFacts.unchanged(done, LOCAL, WRITTEN)).as("recorded with a source ETag, listed without")
                .isFalse();
    }

    private static ObjectInfo etagged(String etag, long size) {
        return new ObjectInfo("a/b.txt", size, T, Map.of(), etag, null, Map.of(), -1);
    }

    private static TaskSpec spec() {
        return new TaskSpec(TaskId.of("local:/x", "s3:b", "copy:a/b.txt:5:0"), PlannedTask.COPY, "a/b.txt", 5);
    }

    private static TaskRecord done(Map<String, String> facts, String verifyMethod) {
        Map<String, String> values = new HashMap<>(facts);
        if (verifyMethod != null) {
            values.put("verify.method", verifyMethod);
        }
        return new TaskRecord(spec(), "run", TaskState.DONE, 1, Checkpoint.EMPTY, new TaskReport(5, values), null);
    }
}
