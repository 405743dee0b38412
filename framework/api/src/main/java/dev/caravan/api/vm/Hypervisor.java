package dev.caravan.api.vm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One hypervisor host, e.g. one libvirt connection. Implementations are thread-safe; every method may block on the
 * network. Failures are {@link dev.caravan.api.error.MigrationException}s: an unknown domain is
 * {@code NOT_FOUND}, a refused option or a failed preflight {@code USER_CONFIG}, an unsupported operation of the
 * driver {@code UNSUPPORTED}, a lost connection {@code TRANSIENT}.
 *
 * <p>Long operations (migrations, storage moves) block until they end, report progress through the callback
 * (called from a polling thread, about twice a second, never after the method returned) and can be stopped from
 * another thread with {@link #abort}, which leaves the VM running where it was. A migration target must be a
 * hypervisor of the same connector (the implementation needs its connection); any other target gives
 * {@code UNSUPPORTED}.
 */
public interface Hypervisor extends AutoCloseable {
    /** The connection URI, without secrets. */
    String uri();

    /** What this host is: name, UUID, hypervisor type, CPU, memory. */
    HostInfo host();

    /** Every domain of the host, running and defined-only, sorted by name. */
    List<VmRef> list();

    /** Parses the domain's XML. Unknown domains give {@code NOT_FOUND}. */
    VmDescription describe(String name);

    /** The domain's state, or empty when the host has no such domain. */
    Optional<VmRef> find(String name);

    /**
     * Checks a move of {@code name} to {@code target} without changing anything: CPU compatibility, hypervisor
     * type, free memory, storage capacity, shared storage, bandwidth forecast and convergence. A check with
     * status {@code FAIL} means the move would be refused.
     *
     * @param kind    live, cold or storage-only (for storage moves {@code target} may be this host)
     * @param options the live options (bandwidth, shared disk, unsafe); for cold moves only the bandwidth counts
     */
    List<PreflightCheck> preflight(String name, Hypervisor target, MigrationKind kind, LiveMigrationOptions options);

    /** Live pre-copy migration to {@code target}; returns when the domain runs on the target. */
    MigrationResult migrateLive(String name, Hypervisor target, LiveMigrationOptions options,
            Consumer<JobProgress> progress);

    /**
     * Takes over the live migration of {@code name} to {@code target} that already runs on this host, started by a
     * process that is gone (a peer-to-peer migration goes on in the hypervisor without its client): waits for it as
     * {@link #migrateLive} waits for its own, with the same progress reports, completion timeout (counted from the
     * job's start, {@link LiveMigrationOptions#completionTimeoutFor}) and {@link #abort}, then says where the domain
     * ended up. The caller decides that the job is the one to take over (e.g. its journal holds the run of a killed
     * process that started it).
     *
     * @return the result (detail {@code adopted=true}) when the job ended with the domain running on the target;
     *         empty when it ended otherwise by itself (it failed, or the hypervisor cancelled it when its client went
     *         away, or it had ended already): the domain is where it was, and a new migration may start
     * @throws dev.caravan.api.error.MigrationException FATAL when it was aborted here (at the completion timeout or on
     *         request; the domain keeps running on this host), USER_CONFIG when the domain's job is no outgoing
     *         migration, UNSUPPORTED when the connector cannot take over jobs (the default)
     */
    default Optional<MigrationResult> adoptLive(String name, Hypervisor target, LiveMigrationOptions options,
            Consumer<JobProgress> progress) {
        throw dev.caravan.api.error.MigrationException.unsupported(getClass().getSimpleName()
                + " cannot take over a running migration");
    }

    /** Moves a running domain's disk to another path or pool while it runs (block copy, then pivot). */
    MigrationResult moveStorage(String name, StorageMoveOptions options, Consumer<JobProgress> progress);

    /** The running job (migration or block job) of a domain, or empty when none runs. */
    Optional<JobProgress> jobProgress(String name);

    /** Aborts the domain's running migration or block job; the domain keeps running on this host. */
    void abort(String name);

    /**
     * Shuts a domain down: asks the guest (ACPI) and waits up to {@code grace}, then powers it off if
     * {@code force}, else fails with {@code TRANSIENT}. A domain already shut off is left alone.
     *
     * @return true when it was powered off by force
     */
    boolean shutdown(String name, Duration grace, boolean force);

    /** Starts a defined domain (no-op when it runs). */
    void start(String name);

    /**
     * The persistent definition of a domain for another host (XML without host-specific parts), with disk
     * sources replaced as given ({@code old path -> new path}; missing entries stay).
     */
    String definition(String name, Map<String, String> diskSources);

    /** Defines (persistently) and optionally starts a domain from XML on this host. */
    VmRef define(String xml, boolean start);

    /** Removes a domain's definition (not its disks); the domain must not run. */
    void undefine(String name);

    /**
     * Where the volumes of a storage pool can be read and written as objects (key = volume name), for the object
     * engine: a connector URI ({@code scheme:location}) and its options (may hold secrets: never log them raw).
     */
    StoreRef volumeStore(String pool);

    /** Path a volume named {@code volume} would have in {@code pool} on this host, or empty if no such pool. */
    Optional<String> volumePath(String pool, String volume);

    /**
     * Whether {@code disk}, a disk of a domain of this host, is the very storage {@code other} sees at the same
     * source (a file both hosts reach, e.g. on NFS, or a network disk): moving the domain needs no copy of it, and
     * removing it from this host would remove it from {@code other} too. Ask while the domain is shut off: a running
     * guest's writes can hide the match. The default trusts {@link VmDisk#shared()}.
     */
    default boolean sameStorage(VmDisk disk, Hypervisor other) {
        return disk.shared();
    }

    @Override
    void close();
}
