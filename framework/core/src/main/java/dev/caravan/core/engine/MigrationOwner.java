package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.MigrationOwners;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's hold on a migration it runs alone ({@link MigrationOwners}), renewed in the background until closed.
 * Taking it fails, before anything is listed or written, while another live process runs the same migration: the
 * same migration started twice at once (two terminals, a schedule that fires while the last run still goes on) would
 * otherwise copy every object twice, and a second move would fail on the sources the first had deleted. The lease
 * of a process killed on this machine is taken over at once (one still exiting, as after a Ctrl-C, is waited for up
 * to {@link #EXIT_GRACE}); one of another machine (a shared journal) once it expired, {@link #LEASE} after that
 * process's last renewal.
 */
public final class MigrationOwner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationOwner.class);
    /** How long a hold lasts unless renewed; renewed every third of it. */
    static final Duration LEASE = Duration.ofSeconds(30);
    /** The lease of the holds {@link #start} and {@link #takeOn} take: {@link #LEASE}; tests shorten it. */
    private static volatile Duration runLease = LEASE;
    /** How long a process of this machine that holds the migration is given to exit before this one gives up. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(5);
    private static final String HOST = hostName();
    private static final DateTimeFormatter LEASE_TEXT = DateTimeFormatter.ofPattern("'at' HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    /** The holds of this process not closed yet: a hold of this process not among them is a leftover. */
    private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

    /** What a refused process is told it can do about an object migration another process runs. */
    private static final String SHARE_ADVICE = "wait for it to finish (caravan status shows its run), stop it, or"
            + " share the run between processes with --worker on a PostgreSQL journal";

    /** Renews every hold of this process: one thread for all, started with the first. */
    static final ScheduledThreadPoolExecutor HEARTBEAT = heartbeat();

    private final MigrationOwners owners;
    private final String migrationId;
    /** The migration as shown to users. */
    private final String migrationName;
    /** This hold's owner: "HOST pid N #id". */
    private final String owner;
    private final Duration lease;
    private final ScheduledFuture<?> renewal;
    /** Wall-clock time (as the journal's leases) until which the last renewal holds: a paused process overruns it. */
    private volatile long heldUntilMillis;
    /** Why this process no longer holds the migration; null while it does. */
    private volatile String lostBecause;

    private MigrationOwner(MigrationOwners owners, String migrationId, String migrationName, String owner,
            Duration lease) {
        this.owners = owners;
        this.migrationId = migrationId;
        this.migrationName = migrationName;
        this.owner = owner;
        this.lease = lease;
        this.heldUntilMillis = System.currentTimeMillis() + lease.toMillis();
        HELD.add(owner);
        long every = Math.max(100, lease.toMillis() / 3);
        this.renewal = HEARTBEAT.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Sets the lease of the holds taken from now on ({@code null}: back to {@link #LEASE}). For tests, which shorten it
     * to see a hold lapse; Caravan itself never changes it.
     */
    public static void useLease(Duration lease) {
        runLease = lease == null ? LEASE : lease;
    }

    /** Extends the hold, or notes that another process has taken the migration over. */
    private synchronized void renew() {
        if (lostBecause != null) {
            return;
        }
        long now = System.currentTimeMillis();
        try {
            if (owners.renew(migrationId, owner, lease)) {
                heldUntilMillis = now + lease.toMillis();
                return;
            }
            lostBecause = "migration '" + migrationName + "': " + owners.holder(migrationId).map(h -> "another process ("
                    + shown(h.owner()) + ")").orElse("another process, which has finished since,")
                    + " took the migration over while this one"
                    + " was paused or its machine asleep (its hold lapsed " + LEASE_TEXT.format(Instant.ofEpochMilli(
                    heldUntilMillis)) + "): this process stopped at a task boundary and left the rest to that one";
            LOG.warn("{}", lostBecause);
        } catch (RuntimeException e) {
            LOG.warn("migration {}: could not renew this process's hold on it: {}", migrationId, e.getMessage());
        }
    }

    /**
     * Whether this process still holds the migration, checked before each task: once its hold has lapsed (the process
     * was paused, SIGSTOP, or its machine asleep, for longer than the lease) the hold is renewed here first, so that a
     * process waking up does not start one more task of a migration another process has taken over meanwhile.
     */
    public boolean held() {
        if (lostBecause == null && System.currentTimeMillis() >= heldUntilMillis) {
            synchronized (this) {
                if (lostBecause == null && System.currentTimeMillis() >= heldUntilMillis) {
                    renew();
                }
            }
        }
        return lostBecause == null;
    }

    /** Throws FATAL, saying why, once this process no longer holds the migration ({@link #held}). */
    public void requireHeld() {
        if (!held()) {
            throw new MigrationException(ErrorKind.FATAL, lostBecause);
        }
    }

    /** Why this process lost the migration to another one while running it; empty while it holds it. */
    public Optional<String> lost() {
        return Optional.ofNullable(lostBecause);
    }

    /**
     * Takes the migration for this process, for {@code lease} at a time; USER_CONFIG naming the process that runs it
     * when another live one does ({@code name}: the migration as shown to users).
     */
    static MigrationOwner take(MigrationOwners owners, String migrationId, String name, Duration lease) {
        return take(owners, migrationId, name, lease, SHARE_ADVICE);
    }

    private static MigrationOwner take(MigrationOwners owners, String migrationId, String name, Duration lease,
            String advice) {
        String owner = newOwnerName();
        awaitOrRefuse(name, lease, advice, () -> owners.take(migrationId, owner, lease, MigrationOwner::gone));
        return new MigrationOwner(owners, migrationId, name, owner, lease);
    }

    /** A migration taken by this process, and its run started or resumed. */
    record Started(MigrationOwner owner, RunInfo run) {
    }

    /**
     * Takes the migration for this process and starts or resumes its run, in one journal transaction
     * ({@link JdbcJournal#startOwnedRun}); refused as {@link #take} is, with nothing written.
     */
    static Started start(JdbcJournal journal, String migrationId, String name, String definition) {
        String owner = newOwnerName();
        RunInfo[] run = new RunInfo[1];
        Duration lease = runLease;
        awaitOrRefuse(name, lease, SHARE_ADVICE, () -> {
            JdbcJournal.OwnedStart started = journal.startOwnedRun(migrationId, name, definition, owner, lease,
                    MigrationOwner::gone);
            run[0] = started.run();
            return Optional.ofNullable(started.refusedBy());
        });
        return new Started(new MigrationOwner(journal.migrationOwners(), migrationId, name, owner, lease),
                run[0]);
    }

    private static String newOwnerName() {
        return HOST + " pid " + ProcessHandle.current().pid() + " #" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Tries {@code attempt} (empty: taken) until it succeeds, for up to {@link #EXIT_GRACE} while the holder is
     * another process of this machine (a command interrupted just now, by Ctrl-C or its client killed, may still be
     * exiting); USER_CONFIG naming the holder when it keeps the migration.
     */
    private static void awaitOrRefuse(String name, Duration lease, String advice,
            Supplier<Optional<MigrationOwners.Holder>> attempt) {
        Optional<MigrationOwners.Holder> holder = attempt.get();
        long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
        while (holder.isPresent() && exiting(holder.get().owner()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            holder = attempt.get();
        }
        if (holder.isPresent()) {
            String seen = LEASE_TEXT.format(holder.get().leaseUntil().minus(lease));
            throw MigrationException.userConfig("migration '" + name + "' is being run by another process now ("
                    + shown(holder.get().owner()) + ", last seen " + seen + "): nothing was done; " + advice);
        }
    }

    /**
     * {@link #take} on a journal that records owners (the JDBC journal); {@code null} (nothing to close) on any other:
     * it keeps nothing between processes.
     */
    public static MigrationOwner takeOn(Journal journal, String migrationId, String name) {
        return takeOn(journal, migrationId, name, SHARE_ADVICE);
    }

    /**
     * {@link #takeOn(Journal, String, String)} for a migration that cannot be shared between processes: the refusal
     * ends with {@code advice} (what the user can do) instead of suggesting {@code --worker}.
     */
    public static MigrationOwner takeOn(Journal journal, String migrationId, String name, String advice) {
        return journal instanceof JdbcJournal jdbc
                ? take(jdbc.migrationOwners(), migrationId, name, runLease, advice) : null;
    }

    /** The live process running the migration now, as shown to users ("host pid N"); empty when none is. */
    static Optional<String> runningIn(MigrationOwners owners, String migrationId) {
        return owners.holder(migrationId).map(MigrationOwners.Holder::owner).filter(o -> !gone(o))
                .map(MigrationOwner::shown);
    }

    /** Whether the owner named so may be a process of this machine that is exiting: another one, still alive. */
    private static boolean exiting(String owner) {
        return owner.startsWith(HOST + " pid ") && !owner.startsWith(HOST + " pid " + ProcessHandle.current().pid()
                + " ");
    }

    /**
     * Whether the owner named so is a process of this machine that no longer exists, or a hold of this process that
     * was not given up (its journal failed at the end of that run) and is no longer open.
     */
    static boolean gone(String owner) {
        if (owner.startsWith(HOST + " pid " + ProcessHandle.current().pid() + " ")) {
            return !HELD.contains(owner);
        }
        String prefix = HOST + " pid ";
        if (!owner.startsWith(prefix)) {
            return false; // another machine's: its lease must expire
        }
        String rest = owner.substring(prefix.length());
        int end = rest.indexOf(' ');
        try {
            long pid = Long.parseLong(end < 0 ? rest : rest.substring(0, end));
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The owner as shown to a user: host and process id. */
    private static String shown(String owner) {
        int hash = owner.lastIndexOf(" #");
        return hash < 0 ? owner : owner.substring(0, hash);
    }

    /** One daemon thread; a renewal cancelled when its hold is given up leaves the queue at once. */
    private static ScheduledThreadPoolExecutor heartbeat() {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "caravan-migration-owner");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    /** This machine's name: the kernel's on Linux (no name lookup on a command's way), else the resolver's. */
    private static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Stops renewing and gives the migration up. */
    @Override
    public void close() {
        HELD.remove(owner);
        renewal.cancel(false);
        try {
            owners.release(migrationId, owner);
        } catch (RuntimeException e) {
            LOG.debug("migration {}: could not give it up (the hold expires by itself): {}", migrationId,
                    e.getMessage());
        }
    }
}
