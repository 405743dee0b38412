package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.TaskId;
import dev.caravan.api.store.UnfinishedUploads;
import dev.caravan.core.engine.UploadCleanup.Action;
import dev.caravan.core.journal.TaskUploads;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code caravan cleanup}: which unfinished uploads are aborted, and which are kept and why. */
class UploadCleanupTest {
    private static final Instant NOW = Instant.parse("2026-11-28T20:00:00Z");

    /** A store that keeps unfinished uploads, and records the aborts it is asked for. */
    private static final class UploadingStore extends ForwardingStore implements UnfinishedUploads {
        final List<Upload> open = new CopyOnWriteArrayList<>();
        final List<String> aborted = new ArrayList<>();

        UploadingStore(Upload... uploads) {
            super(new MemoryStore("uploads"));
            open.addAll(List.of(uploads));
        }

        @Override
        public List<Upload> unfinished() {
            return List.copyOf(open);
        }

        @Override
        public void abort(Upload upload) {
            aborted.add(upload.id());
            open.remove(upload);
        }
    }

    private static UnfinishedUploads.Upload upload(String id, Instant started) {
        return new UnfinishedUploads.Upload("data/" + id + ".bin", id, started);
    }

    private static Map<String, Action> actions(UploadCleanup.Result r) {
        return r.items().stream().collect(Collectors.toMap(i -> i.upload().id(), UploadCleanup.Item::action));
    }

    @Test
    void abortsOldUploadsNothingGoesOnFromAndKeepsTheOthers() {
        UploadingStore store = new UploadingStore(upload("old", NOW.minus(Duration.ofDays(3))),
                upload("resumed", NOW.minus(Duration.ofDays(30))), upload("young", NOW.minus(Duration.ofHours(1))),
                upload("undated", null));

        UploadCleanup.Result r = UploadCleanup.run(store, Set.of("resumed"), Duration.ofHours(24), false, NOW);

        assertThat(r.supported()).isTrue();
        assertThat(actions(r)).containsExactlyInAnyOrderEntriesOf(Map.of("old", Action.ABORTED,
                "resumed", Action.KEPT_RESUMABLE, "young", Action.KEPT_RECENT, "undated", Action.KEPT_RECENT));
        assertThat(store.aborted).containsExactly("old");
        assertThat(r.count(Action.ABORTED)).isEqualTo(1);
    }

    @Test
    void ageZeroAbortsEveryUploadButTheResumableOnesEvenUndatedOrJustStarted() {
        UploadingStore store = new UploadingStore(upload("now", NOW), upload("undated", null),
                upload("resumed", NOW));

        UploadCleanup.Result r = UploadCleanup.run(store, Set.of("resumed"), Duration.ZERO, false, NOW);

        assertThat(store.aborted).containsExactlyInAnyOrder("now", "undated");
        assertThat(actions(r)).containsEntry("resumed", Action.KEPT_RESUMABLE);
    }

    @Test
    void anUploadATaskNoRunContinuesRecordsIsAbortedWhateverItsAgeAndForgotten() {
        UploadingStore store = new UploadingStore(upload("superseded", NOW), upload("resumed", NOW),
                upload("young", NOW));
        TaskId task = TaskId.of("src", "dst", "copy:big.bin");
        List<TaskId> forgotten = new ArrayList<>();

        UploadCleanup.Result r = UploadCleanup.run(store, List.of(new TaskUploads.Recorded(task, "superseded", false, null),
                new TaskUploads.Recorded(task, "resumed", true, null)), forgotten::add, Duration.ofHours(24), false, NOW);

        assertThat(actions(r)).containsExactlyInAnyOrderEntriesOf(Map.of("superseded", Action.ABORTED_SUPERSEDED,
                "resumed", Action.KEPT_RESUMABLE, "young", Action.KEPT_RECENT));
        assertThat(store.aborted).containsExactly("superseded");
        assertThat(forgotten).containsExactly(task);
    }

    @Test
    void aDryRunNeitherAbortsNorForgetsASupersededUpload() {
        UploadingStore store = new UploadingStore(upload("superseded", NOW));
        List<TaskId> forgotten = new ArrayList<>();

        UploadCleanup.Result r = UploadCleanup.run(store, List.of(new TaskUploads.Recorded(
                TaskId.of("src", "dst", "copy:big.bin"), "superseded", false, null)), forgotten::add, Duration.ofHours(24),
                true, NOW);

        assertThat(actions(r)).containsExactlyEntriesOf(Map.of("superseded", Action.WOULD_ABORT));
        assertThat(store.aborted).isEmpty();
        assertThat(forgotten).isEmpty();
    }

    @Test
    void aDryRunAbortsNothing() {
        UploadingStore store = new UploadingStore(upload("old", NOW.minus(Duration.ofDays(3))));

        UploadCleanup.Result r = UploadCleanup.run(store, Set.of(), Duration.ofHours(24), true, NOW);

        assertThat(actions(r)).containsExactlyEntriesOf(Map.of("old", Action.WOULD_ABORT));
        assertThat(store.aborted).isEmpty();
        assertThat(store.open).hasSize(1);
    }

    @Test
    void aStoreThatKeepsNoUnfinishedUploadsHasNothingToClean() {
        UploadCleanup.Result r = UploadCleanup.run(new MemoryStore("plain"), Set.of(), Duration.ZERO, false,
                NOW);

        assertThat(r.supported()).isFalse();
        assertThat(r.items()).isEmpty();
    }
}
