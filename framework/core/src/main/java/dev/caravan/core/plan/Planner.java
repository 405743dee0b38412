package dev.caravan.core.plan;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.QuickListing;
import dev.caravan.core.hash.HashingInputStream;
import dev.caravan.core.metadata.MetadataMapping;
import dev.caravan.core.metadata.MetadataRule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Turns the diff of two stores into tasks for a mode, counting as it goes. Lazy: {@link #tasks()} pulls the
 * listings one object at a time; {@link #summary()} is complete once the iterator is exhausted.
 *
 * <p>Built with a journal (the engine's runs), the planner lists a store that offers {@link QuickListing} without a
 * request per object, and decides each object found on both sides in this order: sizes that differ; else, with
 * {@link Compare#SIZE_MTIME}, the journal ({@link CopyFacts}: a verified copy of this very source version whose target
 * the listing still shows with the ETag and size recorded needs nothing; the records of up to {@link PairResolver#BATCH}
 * pairs are looked up in one call); else the quick-listed side(s) are completed with {@code stat}
 * ({@link #checkers} at a time) and compared as usual. Task ids come from the listed source object, so a
 * rerun finds the tasks of the run before. A source with age filters is listed in full (its quick listing has no kept
 * modification time to filter on).
 *
 * <p>With a short {@code --files-from} list the stores are not listed: each listed key is looked up on both sides
 * ({@link FilesFromListing}), {@link #checkers} at a time per side; the listed keys the source lacks are counted in
 * the {@link #summary()}.
 */
public final class Planner implements AutoCloseable {
    private final MigrationSpec spec;
    private final KeyMap keyMap;
    private final ObjectStore source;
    private final ObjectStore target;
    private final Stream<ObjectInfo> sourceListing;
    private final Stream<ObjectInfo> targetListing;
    private final Iterator<DiffEntry> differ;
    private final Journal journal;
    private final boolean quickSource;
    private final boolean quickTarget;
    /** The listings' view of the {@code --files-from} list, or {@code null} without one. */
    private final FilesFromListing filesFrom;
    /** Verification: the journal vouches for pairs whatever the comparison, and what it vouches for carries a hash. */
    private final boolean verification;
    private final BiFunction<ObjectInfo, ObjectInfo, String> difference;
    /** Why a pair with the same bytes needs its attributes updated ({@link AttributeComparison}), or null: never. */
    private final AttributeComparison.Check attributes;
    /** Whether {@link #attributes} reads descriptive attributes, which need stat'ed objects. */
    private final boolean attributesComplete;
    private long copyCount;
    private long copyBytes;
    private long replaceCount;
    private long replaceBytes;
    private long deleteCount;
    private long deleteBytes;
    private long sameCount;
    private long sameBytes;
    private long metadataCount;
    private long metadataBytes;
    private long sourceCount;
    private long targetCount;
    private Consumer<String> targetKeys = key -> { };

    /** A planner that lists both stores in full and compares every object found on both sides. */
    public Planner(MigrationSpec spec, ObjectStore source, ObjectStore target) {
        this(spec, source, target, null, false, false);
    }

    /**
     * A planner that lists quickly where a store can and asks {@code journal} (may be {@code null}) before it sends
     * a request per object; see the class comment.
     */
    public Planner(MigrationSpec spec, ObjectStore source, ObjectStore target, Journal journal) {
        this(spec, source, target, journal, true, false);
    }

    /**
     * A planner for verification ({@link #entries()} only): lists quickly where a store can, takes a pair that the
     * journal vouches for ({@link CopyFacts}: the very source version Caravan copied and verified, the target still
     * listed with the ETag and size it wrote) as the same size with the SHA-256 recorded by that copy on the vouched
     * side(s) ({@link ObjectInfo#hashes()}), so comparing digests asks no store for it; every other pair is completed
     * with {@code stat} and compared by size. {@code spec}'s comparison is not used.
     */
    public static Planner forVerification(MigrationSpec spec, ObjectStore source, ObjectStore target,
            Journal journal) {
        return new Planner(spec.toBuilder().compare(Compare.SIZE).build(), source, target, journal, true, true);
    }

    private Planner(MigrationSpec spec, ObjectStore source, ObjectStore target, Journal journal, boolean quick,
            boolean verification) {
        this.spec = spec;
        this.keyMap = spec.parsedKeyMap();
        this.verification = verification;
        this.source = source;
        this.target = target;
        this.journal = journal;
        boolean ageFilters = spec.filters().minAge() != null || spec.filters().maxAge() != null;
        ListedKeys listed = spec.filters().filesFrom();
        boolean lookUp = FilesFromListing.looksUp(listed);
        this.filesFrom = listed == null ? null : new FilesFromListing(listed);
        this.quickSource = quick && !ageFilters && !lookUp && source.capability(QuickListing.class).isPresent();
        this.quickTarget = quick && !lookUp && target.capability(QuickListing.class).isPresent();
        // the target's first page is fetched while the source's is: two round trips overlap instead of adding up;
        // then each listing is read ahead on a thread of its own (ListingReadAhead) while the plan is written
        FutureTask<Stream<ObjectInfo>> targetFirst = new FutureTask<>(() -> lookUp
                ? filesFrom.lookUpTarget(target, keyMap, checkers(spec)) : listTarget(target, quickTarget));
        Thread lister = new Thread(targetFirst, "caravan-list-target");
        lister.setDaemon(true);
        lister.start();
        try {
            this.sourceListing = lookUp ? filesFrom.lookUpSource(source, checkers(spec))
                    : listSource(source, quickSource);
        } catch (RuntimeException e) {
            closeWhenListed(targetFirst);
            throw e;
        }
        try {
            this.targetListing = awaitListing(targetFirst);
        } catch (RuntimeException e) {
            sourceListing.close();
            throw e;
        }
        this.difference = Comparison.of(spec.compare(), source.features(), target.features(),
                o -> hashOf(source, o), o -> hashOf(target, o));
        this.attributes = verification ? null : AttributeComparison.of(spec.compare(),
                new MetadataMapping(MetadataRule.parseAll(spec.metadataRules()), target), source.features(),
                target.features());
        // listings may leave attributes out (local files: no extended attributes): compared, both sides are stat'ed
        this.attributesComplete = AttributeComparison.readsAttributes(target.features());
        Filters.Matcher filters = spec.filters().matcher(Instant.now(), keyMap);
        Iterator<ObjectInfo> sourceObjects = filesFrom != null && !lookUp
                ? filesFrom.walkBeside(sourceListing.iterator()) : sourceListing.iterator();
        if (quickSource || quickTarget) {
            this.differ = new PairResolver(new Differ(sourceObjects, targetListing.iterator(), filters,
                    null, keyMap), this::prepare, checkers(spec));
        } else {
            this.differ = new Differ(sourceObjects, targetListing.iterator(), filters, difference,
                    attributes == null ? null : (s, t) -> attributesDiffer(s, t, false, false), keyMap);
        }
    }

    /**
     * How many requests a plan sends at once per side, as rclone's {@code --checkers}: {@link PairResolver#CHECKERS},
     * or the run's transfers ({@code --transfers}) when they are more.
     */
    static int checkers(MigrationSpec spec) {
        return Math.max(PairResolver.CHECKERS, spec.transfers());
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

    /**
     * Calls {@code observer}, as {@link #tasks()} is pulled, with the key of every object the target holds after the
     * run (copied, replaced, already the same, and those only on the target unless a sync deletes them), in
     * {@link dev.caravan.api.store.ObjectKeys#ORDER}. Returns this planner.
     */
    public Planner observingTargetKeys(Consumer<String> observer) {
        this.targetKeys = observer;
        return this;
    }

    /** The raw diff, every key once, without tasks or counting (for verification). */
    public Iterator<DiffEntry> entries() {
        return differ;
    }

    /**
     * Counts so far (final once {@link #tasks()} is exhausted). The deletions of a move are the source objects it
     * removes: every one it copies or replaces, and every one the target already holds.
     */
    public PlanSummary summary() {
        boolean move = spec.mode() == Mode.MOVE;
        return new PlanSummary(copyCount, copyBytes, replaceCount, replaceBytes,
                move ? copyCount + replaceCount + deleteCount : deleteCount,
                move ? copyBytes + replaceBytes + deleteBytes : deleteBytes, sameCount, sameBytes, sourceCount,
                targetCount, filesFrom == null ? 0 : filesFrom.missingCount(),
                filesFrom == null ? List.of() : filesFrom.missingShown(), metadataCount, metadataBytes);
    }

    private PlannedTask toTask(DiffEntry e) {
        if (e.kind() != DiffEntry.Kind.PARTIAL && !(e.kind() == DiffEntry.Kind.EXTRA && spec.mode() == Mode.SYNC)) {
            targetKeys.accept(e.target() != null ? e.target().key() : keyMap.target(e.key()));
        }
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
            case METADATA -> {
                sourceCount++;
                targetCount++;
                if (spec.mode() == Mode.MOVE) { // copied, so that the move's deletion of the source follows
                    replaceCount++;
                    replaceBytes += Math.max(0, e.source().size());
                    return task(PlannedTask.REPLACE, e, e.source(), "copy");
                }
                metadataCount++;
                metadataBytes += Math.max(0, e.source().size());
                return task(PlannedTask.METADATA, e, e.source(), "meta");
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
        return new PlannedTask(new TaskSpec(taskId(unitKind, o), action, o.key(), o.size()), e);
    }

    private TaskId taskId(String unitKind, ObjectInfo o) {
        long mtime = o.modTime() == null ? -1 : o.modTime().toEpochMilli();
        String unit = unitKind + ":" + o.key() + ":" + o.size() + ":" + mtime;
        return TaskId.of(source.uri(), target.uri(), unit);
    }

    /**
     * Prepares the decisions of a batch of pairs: the journal's records of the pairs that {@link #decide} asks it
     * about, looked up in one call ({@link Journal#tasks}), so a rerun costs a query per batch, not one per pair.
     */
    private Function<DiffEntry, DiffEntry> prepare(List<DiffEntry> pairs) {
        if (journal == null || spec.compare() != Compare.SIZE_MTIME && !verification) {
            return e -> decide(e, null);
        }
        Map<DiffEntry, TaskId> ids = new IdentityHashMap<>();
        for (DiffEntry e : pairs) {
            if (!sizesDiffer(e.source(), e.target())) {
                ids.put(e, taskId("copy", e.source()));
            }
        }
        Map<TaskId, TaskRecord> records = ids.isEmpty() ? Map.of() : journal.tasks(ids.values());
        Map<DiffEntry, TaskRecord> done = new IdentityHashMap<>();
        ids.forEach((e, id) -> {
            TaskRecord r = records.get(id);
            if (r != null) {
                done.put(e, r);
            }
        });
        return e -> decide(e, done);
    }

    private static boolean sizesDiffer(ObjectInfo s, ObjectInfo t) {
        return s.size() >= 0 && t.size() >= 0 && s.size() != t.size();
    }

    /**
     * Decides a pair of listed objects (see the class comment), with the journal's records of its batch ({@code null}
     * when the journal is not asked). The entry keeps the listed objects, from which the task id is derived; an
     * object deleted since it was listed makes the other side new or extra.
     */
    private DiffEntry decide(DiffEntry e, Map<DiffEntry, TaskRecord> journalRecords) {
        ObjectInfo s = e.source();
        ObjectInfo t = e.target();
        if (sizesDiffer(s, t) || spec.compare() == Compare.SIZE && !verification) {
            return decided(e, difference.apply(s, t)); // listed sizes are exact
        }
        if (journalRecords != null) {
            TaskRecord done = journalRecords.get(e);
            if (CopyFacts.unchanged(done, s, t)) {
                return verification ? vouched(s, t, done)
                        : new DiffEntry(DiffEntry.Kind.SAME, s, t, "same as copied and verified (journal)");
            }
        }
        ObjectInfo fullSource = quickSource ? source.stat(s.key()).orElse(null) : s;
        if (fullSource == null) {
            return new DiffEntry(DiffEntry.Kind.EXTRA, null, t, "not on source");
        }
        ObjectInfo fullTarget = quickTarget ? target.stat(t.key()).orElse(null) : t;
        if (fullTarget == null) {
            return new DiffEntry(DiffEntry.Kind.NEW, s, null, "missing on target");
        }
        String why = difference.apply(fullSource, fullTarget);
        if (verification) { // the full objects, with the hashes their stores keep
            return new DiffEntry(why == null ? DiffEntry.Kind.SAME : DiffEntry.Kind.CHANGED, fullSource, fullTarget,
                    why == null ? "same" : why);
        }
        String other = why != null || attributes == null ? null
                : attributesDiffer(fullSource, fullTarget, quickSource, quickTarget);
        if (other != null) { // the listed objects stay in the entry: the task id is derived from them
            return new DiffEntry(DiffEntry.Kind.METADATA, s, t, other);
        }
        return decided(e, why);
    }

    /**
     * A pair the journal vouches for, in verification: the target carries the SHA-256 the copy recorded, and so does a
     * quick-listed source (its listing matched the recorded ETag); a fully listed source keeps its own hashes, and
     * one without is read, so a local file changed in place is still found.
     */
    private DiffEntry vouched(ObjectInfo s, ObjectInfo t, TaskRecord done) {
        String sha = done.report().values().get(CopyFacts.SHA256);
        if (sha == null) {
            return decide(new DiffEntry(DiffEntry.Kind.SAME, s, t, "same"), null);
        }
        Map<HashType, String> recorded = Map.of(HashType.SHA256, sha);
        ObjectInfo source = quickSource ? s.withHashes(recorded) : s;
        return new DiffEntry(DiffEntry.Kind.SAME, source, t.withHashes(recorded),
                "same size; SHA-256 of the target as recorded by the copy that wrote it (journal)");
    }

    /**
     * Why the attributes of a pair with the same bytes differ, or {@code null}; the sides not {@code stated} are
     * stat'ed first when attributes are compared (a listing may leave them out), so an object is never found
     * different for what its listing did not say ({@link ObjectStore#listsAttributes}). Those stats are made only when
     * the listed times say the source was touched since, or with {@code --compare checksum}: a no-change rerun of
     * pairs listed without attributes (local, SFTP) reads none, and a change of attributes alone that leaves the time
     * (a local extended attribute) is found with {@code --compare checksum}. Tags are compared when both sides carry
     * them as read: stat'ed, or listed by a store that {@link ObjectStore#listsTags lists tags} (Azure); a retag on
     * S3, which lists none, is found with {@code --compare checksum}, which stats every pair.
     */
    private String attributesDiffer(ObjectInfo s, ObjectInfo t, boolean sourceStated, boolean targetStated) {
        if (!attributesComplete) {
            return attributes.why(s, t, false);
        }
        boolean tags = AttributeComparison.comparesTags(source.features(), target.features());
        boolean sourceAll = sourceStated || source.listsAttributes() && (source.listsTags() || !tags);
        boolean targetAll = targetStated || target.listsAttributes() && (target.listsTags() || !tags);
        if (spec.compare() == Compare.CHECKSUM || timesDiffer(s, t)) { // read in full
            return attributes.why(sourceAll ? s : source.stat(s.key()).orElse(s),
                    targetAll ? t : target.stat(t.key()).orElse(t), true);
        }
        boolean listed = (sourceStated || source.listsAttributes()) && (targetStated || target.listsAttributes());
        return listed ? attributes.why(s, t, sourceAll && targetAll) : null;
    }

    private boolean timesDiffer(ObjectInfo s, ObjectInfo t) {
        Duration precision = Comparison.coarser(source.features().modTimePrecision(),
                target.features().modTimePrecision());
        return s.modTime() != null && t.modTime() != null && precision != null
                && Duration.between(s.modTime(), t.modTime()).abs().compareTo(precision) > 0;
    }

    private static DiffEntry decided(DiffEntry e, String why) {
        return why == null ? new DiffEntry(DiffEntry.Kind.SAME, e.source(), e.target(), "same")
                : new DiffEntry(DiffEntry.Kind.CHANGED, e.source(), e.target(), why);
    }

    private static Stream<ObjectInfo> list(ObjectStore store, boolean quick) {
        return quick ? store.capability(QuickListing.class).orElseThrow().listQuick("") : store.list("");
    }

    private static Stream<ObjectInfo> listSource(ObjectStore store, boolean quick) {
        try {
            return ListingReadAhead.of(list(store, quick), ListingReadAhead.CAPACITY, "caravan-list-source");
        } catch (MigrationException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw new MigrationException(ErrorKind.USER_CONFIG, "source " + store.uri() + " does not exist: "
                        + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static Stream<ObjectInfo> awaitListing(FutureTask<Stream<ObjectInfo>> listing) {
        try {
            return listing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeWhenListed(listing);
            throw MigrationException.transientError("interrupted while listing the target", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // as listing on this thread would have thrown it
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new MigrationException(ErrorKind.FATAL, "listing the target failed: " + e.getCause(), e.getCause());
        }
    }

    /** Closes the listing a failed plan no longer needs, once (and if) it has been opened. */
    private static void closeWhenListed(FutureTask<Stream<ObjectInfo>> listing) {
        Thread closer = new Thread(() -> {
            try {
                listing.get().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | RuntimeException ignored) {
                // nothing was opened
            }
        }, "caravan-list-target-close");
        closer.setDaemon(true);
        closer.start();
    }

    private static Stream<ObjectInfo> listTarget(ObjectStore store, boolean quick) {
        try {
            return ListingReadAhead.of(list(store, quick), ListingReadAhead.CAPACITY, "caravan-list-target-ahead");
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
        try {
            if (differ instanceof PairResolver resolver) {
                resolver.close();
            }
        } finally {
            try {
                sourceListing.close();
            } finally {
                targetListing.close();
            }
        }
    }
}
