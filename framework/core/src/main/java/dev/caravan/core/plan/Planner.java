package dev.caravan.core.plan;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.hash.HashingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Turns the diff of two stores into tasks for a mode, counting as it goes. Lazy: {@link #tasks()} pulls the
 * listings one object at a time; {@link #summary()} is complete once the iterator is exhausted.
 */
public final class Planner implements AutoCloseable {
    private final MigrationSpec spec;
    private final ObjectStore source;
    private final ObjectStore target;
    private final Stream<ObjectInfo> sourceListing;
    private final Stream<ObjectInfo> targetListing;
    private final Differ differ;
    private long copyCount;
    private long copyBytes;
    private long replaceCount;
    private long replaceBytes;
    private long deleteCount;
    private long deleteBytes;
    private long sameCount;
    private long sameBytes;
    private long sourceCount;
    private long targetCount;

    public Planner(MigrationSpec spec, ObjectStore source, ObjectStore target) {
        this.spec = spec;
        this.source = source;
        this.target = target;
        this.sourceListing = listSource(source);
        this.targetListing = listTarget(target);
        BiFunction<ObjectInfo, ObjectInfo, String> difference = Comparison.of(spec.compare(), source.features(),
                target.features(), o -> hashOf(source, o), o -> hashOf(target, o));
        this.differ = new Differ(sourceListing.iterator(), targetListing.iterator(),
                spec.filters().matcher(Instant.now()), difference);
    }

    /** The planned tasks in key order. Each diff entry is counted when it is pulled. */
    public Iterator<PlannedTask> tasks() {
        return new Iterator<>() {
            private PlannedTask next;

            @Override
            public boolean hasNext() {
                while (next == null && differ.hasNext()) {
                    next = toTask(differ.next());
                }
                return next != null;
            }

            @Override
            public PlannedTask next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                PlannedTask t = next;
                next = null;
                return t;
            }
        };
    }

    /** The raw diff, every key once, without tasks or counting (for verification). */
    public Iterator<DiffEntry> entries() {
        return differ;
    }

    /** Counts so far (final once {@link #tasks()} is exhausted). */
    public PlanSummary summary() {
        return new PlanSummary(copyCount, copyBytes, replaceCount, replaceBytes, deleteCount, deleteBytes, sameCount,
                sameBytes, sourceCount, targetCount);
    }

    private PlannedTask toTask(DiffEntry e) {
        switch (e.kind()) {
            case NEW -> {
                sourceCount++;
                copyCount++;
                copyBytes += Math.max(0, e.source().size());
                return task(PlannedTask.COPY, e, e.source(), "copy");
            }
            case CHANGED -> {
                sourceCount++;
                targetCount++;
                replaceCount++;
                replaceBytes += Math.max(0, e.source().size());
                return task(PlannedTask.REPLACE, e, e.source(), "copy");
            }
            case SAME -> {
                sourceCount++;
                targetCount++;
                sameCount++;
                sameBytes += Math.max(0, e.source().size());
                if (spec.mode() == Mode.MOVE) {
                    deleteCount++;
                    deleteBytes += Math.max(0, e.source().size());
                    return task(PlannedTask.DELETE_SOURCE, e, e.source(), "delsrc");
                }
                return null;
            }
            case EXTRA -> {
                targetCount++;
                if (spec.mode() == Mode.SYNC) {
                    deleteCount++;
                    deleteBytes += Math.max(0, e.target().size());
                    return task(PlannedTask.DELETE, e, e.target(), "delete");
                }
                return null;
            }
            case PARTIAL -> {
                return task(PlannedTask.CLEANUP, e, e.target(), "cleanup");
            }
            default -> throw new IllegalStateException(e.kind().name());
        }
    }

    private PlannedTask task(String action, DiffEntry e, ObjectInfo o, String unitKind) {
        long mtime = o.modTime() == null ? -1 : o.modTime().toEpochMilli();
        String unit = unitKind + ":" + o.key() + ":" + o.size() + ":" + mtime;
        TaskId id = TaskId.of(source.uri(), target.uri(), unit);
        return new PlannedTask(new TaskSpec(id, action, o.key(), o.size()), e);
    }

    private static Stream<ObjectInfo> listSource(ObjectStore store) {
        try {
            return store.list("");
        } catch (MigrationException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw new MigrationException(ErrorKind.USER_CONFIG, "source " + store.uri() + " does not exist: "
                        + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static Stream<ObjectInfo> listTarget(ObjectStore store) {
        try {
            return store.list("");
        } catch (MigrationException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Stream.empty(); // a target that does not exist yet is empty
            }
            throw e;
        }
    }

    /** SHA-256 of an object: stored by the store, else computed by reading it. */
    static String hashOf(ObjectStore store, ObjectInfo o) {
        return o.hash(HashType.SHA256).orElseGet(() -> {
            try (InputStream in = store.open(o.key(), ByteRange.ALL)) {
                return HashingInputStream.sha256Of(in);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    @Override
    public void close() {
        sourceListing.close();
        targetListing.close();
    }
}
