package dev.caravan.core.engine;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ArchivedObjects;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.GrantedAccess;
import dev.caravan.api.store.GrantedAccess.Need;
import dev.caravan.api.store.KeyNotes;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.SkippedEntries;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.PreflightCheck.Status;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.plan.PlannedAction;
import dev.caravan.core.plan.PlannedTask;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/** Checks made before anything is written: access, capacity and a time forecast. */
final class Preflight {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Preflight.class);
    private static final long FORECAST_SAMPLE_BYTES = 64L << 20;
    private static final long FORECAST_MAX_NANOS = 2_000_000_000L;

    private Preflight() {
    }

    /** What a source needs of its store: read and list (a move also deletes). */
    static Set<GrantedAccess.Need> sourceNeeds(Mode mode) {
        return mode == Mode.MOVE ? EnumSet.of(Need.READ, Need.LIST, Need.DELETE) : EnumSet.of(Need.READ, Need.LIST);
    }

    /**
     * What a target needs of its store: read and list (the plan, verification), write and create; delete only where
     * the run can delete there: a sync deletes the objects the source lacks, and a target without atomic puts (local,
     * SFTP) is written through temporary names, removed when a copy fails. Neither the write probe (which writes
     * nothing visible where puts are atomic: {@link ObjectStore#probeWrite}) nor a backup dir (which copies the
     * target's objects before a sync deletes or a copy overwrites them) deletes on the target. Temporary objects an
     * interrupted run left are known once the target is listed ({@link #leftoversAccess}).
     */
    static Set<GrantedAccess.Need> targetNeeds(Mode mode, ObjectStore target) {
        Set<Need> needs = EnumSet.of(Need.READ, Need.LIST, Need.WRITE, Need.CREATE);
        if (mode == Mode.SYNC || !target.features().atomicPut()) {
            needs.add(Need.DELETE);
        }
        return needs;
    }

    /**
     * What a backup dir needs of its store: write and create the copies it keeps, read them (their verification, a
     * rerun finding a copy made before), and delete where it writes through temporary names (no atomic puts). It lists
     * nothing.
     */
    static Set<GrantedAccess.Need> backupNeeds(ObjectStore backup) {
        Set<Need> needs = EnumSet.of(Need.READ, Need.WRITE, Need.CREATE);
        if (!backup.features().atomicPut()) {
            needs.add(Need.DELETE);
        }
        return needs;
    }

    /**
     * Fails with USER_CONFIG when a side's credentials say themselves that they do not grant what its role needs
     * ({@link GrantedAccess}: an Azure SAS's permissions), before anything is listed or written.
     */
    static void access(ObjectStore source, ObjectStore target, Mode mode) {
        String roles = "a source reads and lists, a move also deletes; a target reads, lists, writes and creates, and"
                + " deletes in a sync or where it writes temporary names";
        refuse("source", source, sourceNeeds(mode), roles);
        refuse("target", target, targetNeeds(mode, target), roles);
    }

    /**
     * As {@link #access} for a backup dir's store ({@code --backup-dir}, with its own credentials or the target's):
     * fails with USER_CONFIG when they say they do not grant {@link #backupNeeds}, before anything is written.
     */
    static void backupAccess(ObjectStore backup) {
        refuse("backup dir", backup, backupNeeds(backup), "a backup dir reads, writes and creates the copies it keeps"
                + " of what the run overwrites or deletes, and deletes where it writes temporary names");
    }

    private static void refuse(String role, ObjectStore store, Set<GrantedAccess.Need> needs, String roles) {
        Optional<String> lacking = store.capability(GrantedAccess.class).flatMap(g -> g.lacking(needs));
        if (lacking.isPresent()) {
            throw MigrationException.userConfig("the " + role + " " + store.uri() + " would refuse this migration: "
                    + lacking.get() + " (" + roles + "); nothing was written");
        }
    }

    /**
     * A {@code FAIL} check when the plan removes {@code leftovers} temporary objects an interrupted run left on the
     * target and its credentials say they cannot delete; empty otherwise.
     */
    static Optional<PreflightCheck> leftoversAccess(ObjectStore target, long leftovers) {
        if (leftovers == 0) {
            return Optional.empty();
        }
        return target.capability(GrantedAccess.class).flatMap(g -> g.lacking(EnumSet.of(Need.DELETE)))
                .map(lacking -> new PreflightCheck("target-leftovers", Status.FAIL, leftovers + " temporary"
                        + (leftovers == 1 ? " object" : " objects") + " an interrupted run left on " + target.uri()
                        + " would be removed, which these credentials cannot: " + lacking + "; grant delete, or"
                        + " remove them otherwise"));
    }

    /**
     * Checks a dry run can make without writing: listings already worked; capacity; forecast, of the bytes to copy and
     * the {@code backupBytes} the backup dir would keep ({@link TransferLimits#bytesToCopy}).
     */
    static List<PreflightCheck> forPlan(ObjectStore source, ObjectStore target, PlanSummary plan,
            List<PlannedAction> sample, long bandwidth, long backupBytes, Duration[] forecastOut) {
        List<PreflightCheck> checks = new ArrayList<>();
        checks.add(new PreflightCheck("source-access", Status.PASS, "listed "
                + TransferLimits.count(plan.sourceCount(), "object", "objects") + " on " + source.uri()));
        if (plan.sourceCount() == 0) {
            checks.add(new PreflightCheck("source-empty", Status.WARN, source.uri() + " lists no object that the"
                    + " filters select: nothing will be copied (a mistyped prefix or filter?)"));
        }
        checks.add(new PreflightCheck("target-access", Status.PASS, "listed "
                + TransferLimits.count(plan.targetCount(), "object", "objects") + " on " + target.uri()
                + "; write access is probed when the run starts (a plan writes nothing)"));
        checks.add(capacity(target, plan.transferBytes()));
        double rate = measureReadRate(source, sample);
        if (bandwidth > 0) {
            rate = rate <= 0 ? bandwidth : Math.min(rate, bandwidth);
        }
        long toCopy = TransferLimits.bytesToCopy(plan, backupBytes);
        if (rate > 0 && toCopy > 0) {
            Duration d = Duration.ofMillis((long) (toCopy / rate * 1000));
            forecastOut[0] = d;
            String time = d.toSeconds() == 0 ? "under a second" : "about " + d.toSeconds() + " s";
            String speed = rate >= (1 << 20) ? String.format(java.util.Locale.ROOT, "%.1f MiB/s", rate / (1 << 20))
                    : String.format(java.util.Locale.ROOT, "%.1f KiB/s", rate / 1024);
            checks.add(new PreflightCheck("forecast", Status.PASS, time + " for " + toCopy + " bytes"
                    + TransferLimits.parts(plan, backupBytes) + " at a measured " + speed + " (source read rate"
                    + (bandwidth > 0 ? ", capped by the bandwidth limit" : "") + ")"));
        }
        return checks;
    }

    /**
     * Collects the planned keys the target cannot hold ({@link ObjectStore#keyProblem}): each will fail, object by
     * object, so a plan names them before anything is written. Keeps the first {@value KeyNotes#SHOWN} of them.
     */
    static final class UnholdableKeys {
        private final ObjectStore target;
        private final KeyNotes notes = new KeyNotes();

        UnholdableKeys(ObjectStore target) {
            this.target = target;
        }

        void check(String key) {
            String problem = target.keyProblem(key);
            if (problem != null) {
                notes.add(key, problem);
            }
        }

        /** A {@code WARN} check naming the first keys, or empty when every key fits. */
        Optional<PreflightCheck> result() {
            long count = notes.count();
            return count == 0 ? Optional.empty() : Optional.of(noted("target-keys", notes, (count == 1 ? " object"
                    : " objects") + " cannot be stored under " + (count == 1 ? "its key" : "their keys") + " on "
                    + target.uri() + " and will fail, everything else is copied: "));
        }
    }

    /**
     * A {@code WARN} check naming the entries the source's listing left out ({@link SkippedEntries}: symbolic links not
     * followed, pipes, devices, names no key can hold, URLs gone from a site), or empty when there were none. Asked once the listing is done.
     */
    static Optional<PreflightCheck> skipped(ObjectStore source) {
        return leftOut(source, "source-skipped", n -> (n == 1 ? " entry of " + source.uri() + " is left out"
                : " entries of " + source.uri() + " are left out") + " (each with why): ");
    }

    /** The {@link SkippedEntries} of a store's listings as a {@code WARN} check, or empty when there were none. */
    private static Optional<PreflightCheck> leftOut(ObjectStore store, String check, LongFunction<String> what) {
        return store.capability(SkippedEntries.class).map(SkippedEntries::skipped).filter(log -> log.count() > 0)
                .map(log -> noted(check, log, what.apply(log.count())));
    }

    /**
     * A {@code WARN} check naming the entries the target's listing left out ({@link SkippedEntries}: symbolic links not
     * followed, pipes, devices, names no key can hold), or empty when there were none: they are neither compared nor
     * deleted by a sync, and an object of the source under the same key replaces the entry (a link itself, never what
     * it points to). Asked once the listing is done.
     */
    static Optional<PreflightCheck> targetSkipped(ObjectStore target) {
        return leftOut(target, "target-skipped", n -> (n == 1 ? " entry of " + target.uri() + " is left out of its"
                + " listing, so it is" : " entries of " + target.uri() + " are left out of its listing, so they are")
                + " neither compared nor deleted (an object of the source under the same key replaces the entry"
                + " itself); each with why: ");
    }

    /**
     * A {@code WARN} check naming the objects the source's listing saw in an archive tier ({@link ArchivedObjects}:
     * S3 GLACIER or DEEP_ARCHIVE, Azure Archive), whose copies fail until they are restored, or empty when there
     * were none. Asked once the listing is done.
     */
    static Optional<PreflightCheck> archived(ObjectStore source) {
        return source.capability(ArchivedObjects.class).map(ArchivedObjects::archived).filter(log -> log.count() > 0)
                .map(log -> noted("source-archived", log, (log.count() == 1 ? " object of " + source.uri()
                        + " is" : " objects of " + source.uri() + " are") + " archived and cannot be read until"
                        + " restored (those to copy fail, the rest is copied): "));
    }

    /**
     * A {@code WARN} check naming the directories the source's listing could not read ({@link SkippedEntries#unlisted}:
     * permission denied, a path too long), or empty when there were none: what they hold is not copied, and the run
     * fails and deletes nothing. Asked once the listing is done.
     */
    static Optional<PreflightCheck> unlisted(ObjectStore source) {
        long n = unlistedCount(source);
        return n == 0 ? Optional.empty() : Optional.of(noted("source-unlisted", unlistedNotes(source), (n == 1
                ? " directory of " + source.uri() + " could not be read" : " directories of " + source.uri()
                + " could not be read") + ", so what they hold is not copied; the run copies the rest, fails and"
                + " deletes nothing: "));
    }

    /** How many directories the source's listings could not read so far ({@link #unlisted}). */
    static long unlistedCount(ObjectStore source) {
        return unlistedNotes(source).count();
    }

    private static KeyNotes unlistedNotes(ObjectStore source) {
        return source.capability(SkippedEntries.class).map(SkippedEntries::unlisted).orElseGet(KeyNotes::new);
    }

    /**
     * The details of {@link #skipped}, {@link #archived} and {@link #targetSkipped}: what a run's report and log say it
     * went on with (the {@link #unlisted} directories fail the run: its errors name them).
     */
    static List<String> listingNotes(ObjectStore source, ObjectStore target) {
        return Stream.of(skipped(source), archived(source), targetSkipped(target)).flatMap(Optional::stream)
                .map(PreflightCheck::detail).toList();
    }

    /** A {@code WARN} check naming the keys of a {@code --files-from} list that the source lacks, or empty. */
    static Optional<PreflightCheck> listedMissing(ObjectStore source, PlanSummary plan) {
        return Optional.ofNullable(plan.listedMissingText(source.uri()))
                .map(text -> new PreflightCheck("files-from-missing", Status.WARN, text));
    }

    private static PreflightCheck noted(String name, KeyNotes log, String what) {
        return new PreflightCheck(name, Status.WARN, log.count() + what + log.shownText()
                + (log.hints().isEmpty() ? "" : "; " + String.join("; ", log.hints())));
    }

    /** Free space against the bytes to write; unknown capacity is a pass with a note. */
    static PreflightCheck capacity(ObjectStore target, long bytes) {
        Optional<Long> free = target.freeSpace();
        if (free.isEmpty()) {
            return new PreflightCheck("capacity", Status.PASS, target.uri() + " reports no capacity limit");
        }
        if (free.get() < bytes) {
            return new PreflightCheck("capacity", Status.FAIL, "needs " + bytes + " bytes but " + target.uri()
                    + " has " + free.get() + " free");
        }
        return new PreflightCheck("capacity", Status.PASS, bytes + " bytes to write, " + free.get() + " free");
    }

    /**
     * The write probe of a store the run writes to, its {@code role} ("target", "backup dir"): proves credentials,
     * permissions and a writable root ({@link ObjectStore#probeWrite}); where puts are atomic it needs no delete and
     * leaves nothing visible. Returns what the probe had to leave behind, for the run's report (and logged), or empty.
     */
    static Optional<String> probeWrite(ObjectStore store, String role) {
        String probe = ".caravan-probe-" + Long.toHexString(System.nanoTime());
        try {
            Optional<String> left = store.probeWrite(probe);
            left.ifPresent(note -> LOG.warn("{}", note));
            return left;
        } catch (MigrationException e) {
            throw new MigrationException(e.kind() == dev.caravan.api.error.ErrorKind.TRANSIENT ? e.kind()
                    : dev.caravan.api.error.ErrorKind.USER_CONFIG, "cannot write to the " + role + " " + store.uri()
                    + ": " + e.getMessage(), e);
        }
    }

    private static double measureReadRate(ObjectStore source, List<PlannedAction> sample) {
        long bytes = 0;
        long start = System.nanoTime();
        byte[] buf = new byte[1 << 16];
        for (PlannedAction a : sample) {
            if (bytes >= FORECAST_SAMPLE_BYTES || System.nanoTime() - start > FORECAST_MAX_NANOS) {
                break;
            }
            if (!PlannedTask.transfers(a.action())) {
                continue;
            }
            try (InputStream in = source.open(a.key(), new ByteRange(0, FORECAST_SAMPLE_BYTES - bytes))) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    bytes += n;
                }
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }
        long nanos = System.nanoTime() - start;
        return bytes == 0 || nanos == 0 ? 0 : bytes * 1e9 / nanos;
    }
}
