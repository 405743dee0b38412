package dev.caravan.api.vm;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One hypervisor host (a libvirt connection). Thread-safe. Long operations report progress through the
 * callback and can be stopped with {@link #abort}, which leaves the VM running where it was.
 */
public interface Hypervisor extends AutoCloseable {
    /** The connection URI, without secrets. */
    String uri();

    List<VmRef> list();

    /** Parses the domain's XML. Unknown domains give {@code NOT_FOUND}. */
    VmDescription describe(String name);

    /** Checks a live or cold move of {@code name} to {@code target} without changing anything. */
    List<PreflightCheck> preflight(String name, Hypervisor target, LiveMigrationOptions options);

    /** Live pre-copy migration to {@code target}; returns when the domain runs on the target. */
    MigrationResult migrateLive(String name, Hypervisor target, LiveMigrationOptions options,
            Consumer<JobProgress> progress);

    /** Moves a running domain's disk to {@code destination} (block copy, then pivot). */
    MigrationResult moveStorage(String name, String disk, String destination, Consumer<JobProgress> progress);

    /** Shuts a domain down, gracefully within {@code grace}, then forcibly only if {@code force}. */
    void shutdown(String name, Duration grace, boolean force);

    /** Defines (persistently) and optionally starts a domain from XML on this host. */
    VmRef define(String xml, boolean start);

    /** Removes a domain's definition (not its disks). */
    void undefine(String name);

    /** Aborts the domain's running migration or block job. */
    void abort(String name);

    @Override
    void close();
}
