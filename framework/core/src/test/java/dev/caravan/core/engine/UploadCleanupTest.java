package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.UnfinishedUploads;
import dev.caravan.core.engine.UploadCleanup.Action;
import dev.caravan.core.journal.TaskUploads;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import java.io.InputStream;
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

        UploadCleanup.Result r = UploadCleanup.run(store, List.of(
                new TaskUploads.Recorded(task, "superseded", false, null, null, null),
                new TaskUploads.Recorded(task, "resumed", true, null, null, null)), forgotten::add,
                Duration.ofHours(24), false, NOW);

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
                TaskId.of("src", "dst", "copy:big.bin"), "superseded", false, null, null, null)), forgotten::add, Duration.ofHours(24),
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

    /** A store with multipart uploads that lists none (Azure Blob's staged blocks): aborts by the recorded key. */
    private static final class BlockStore extends ForwardingStore implements MultipartUpload {
        final List<String> aborted = new ArrayList<>();

        BlockStore() {
            super(new MemoryStore("blocks"));
        }

        @Override
        public long minPartSize() {
            return 1;
        }

        @Override
        public String begin(String key, PutRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Part> listParts(String key, String uploadId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Part uploadPart(String key, String uploadId, int number, InputStream data, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ObjectInfo complete(String key, String uploadId, List<Part> parts) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void abort(String key, String uploadId) {
            if (uploadId.equals("gone")) {
                throw new MigrationException(ErrorKind.NOT_FOUND, key + ": no such upload");
            }
            aborted.add(key + "#" + uploadId);
        }
    }

    /**
     * {@code cleanup --migration}: only the uploads that tasks of that migration record, whatever their age, continued
     * or not, and their tasks forgotten; the store's other uploads are neither aborted nor listed.
     */
    @Test
    void ofAMigrationAbortsItsRecordedUploadsOnly() {
        UploadingStore store = new UploadingStore(upload("mine", NOW), upload("resumed", NOW),
                upload("other", NOW.minus(Duration.ofDays(30))), upload("tool", NOW.minus(Duration.ofDays(30))));
        TaskId task = TaskId.of("src", "dst", "copy:big.bin");
        List<TaskId> forgotten = new ArrayList<>();

        UploadCleanup.Result r = UploadCleanup.ofMigration(store, "m1", List.of(
                new TaskUploads.Recorded(task, "mine", false, "m1", "data/mine.bin", store.uri()),
                new TaskUploads.Recorded(task, "resumed", true, "m1", "data/resumed.bin", store.uri()),
                new TaskUploads.Recorded(task, "other", false, "m2", "data/other.bin", store.uri())),
                forgotten::add, false);

        assertThat(actions(r)).containsExactlyInAnyOrderEntriesOf(Map.of("mine", Action.ABORTED,
                "resumed", Action.ABORTED));
        assertThat(store.aborted).containsExactlyInAnyOrder("mine", "resumed");
        assertThat(forgotten).hasSize(2);
    }

    /**
     * On a store that lists no unfinished uploads but can abort them, the migration's uploads recorded on that very
     * store are aborted under their recorded key; one found gone is forgotten too; a dry run aborts nothing.
     */
    @Test
    void ofAMigrationOnAStoreThatListsNoUploadsAbortsThemByTheirRecordedKey() {
        BlockStore store = new BlockStore();
        TaskId task = TaskId.of("src", "dst", "copy:big.bin");
        List<TaskUploads.Recorded> recorded = List.of(
                new TaskUploads.Recorded(task, "u1", true, "m1", "big.bin", store.uri()),
                new TaskUploads.Recorded(task, "gone", false, "m1", "old.bin", store.uri()),
                new TaskUploads.Recorded(task, "u3", false, "m1", "big.bin", "azblob://acct/elsewhere"),
                new TaskUploads.Recorded(task, "u4", false, "m2", "big.bin", store.uri()));
        List<TaskId> forgotten = new ArrayList<>();

        UploadCleanup.Result dry = UploadCleanup.ofMigration(store, "m1", recorded, forgotten::add, true);
        assertThat(actions(dry)).containsOnlyKeys("u1", "gone").containsValue(Action.WOULD_ABORT);
        assertThat(store.aborted).isEmpty();

        UploadCleanup.Result r = UploadCleanup.ofMigration(store, "m1", recorded, forgotten::add, false);

        assertThat(r.supported()).isTrue();
        assertThat(actions(r)).containsExactlyInAnyOrderEntriesOf(Map.of("u1", Action.ABORTED,
                "gone", Action.ABORTED));
        assertThat(store.aborted).containsExactly("big.bin#u1");
        assertThat(forgotten).hasSize(2);
    }
}
