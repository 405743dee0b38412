package dev.caravan.connector.libvirt;

import java.time.Duration;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;

/**
 * Refreshes a storage pool, waiting while libvirt refuses because the pool has asynchronous jobs (a volume being built
 * or cloned: libvirt answers "pool 'x' has asynchronous jobs running"). Seen in CI: the preflight of an application's
 * VM step failed so, moments after another test's volumes were created on the same pool (a volume download or upload
 * does not block a refresh: tried on this project's libvirtd). Other libvirt clients retry the same way (Ravada, the
 * Nomad virt driver). Waits up to {@link #WAIT}, backing off from 20 ms to 500 ms, then fails with libvirt's error.
 */
final class PoolRefresh {
    static final Duration WAIT = Duration.ofSeconds(60);

    /** An action that may fail as libvirt fails. */
    interface Action<E extends Exception> {
        void run() throws E;
    }

    private PoolRefresh() {
    }

    static void refresh(StoragePool pool) throws LibvirtException {
        untilIdle(() -> pool.refresh(0), PoolRefresh::busy, WAIT);
    }

    /** Whether libvirt refused because jobs on the pool's volumes are running. */
    static boolean busy(Exception e) {
        String m = e.getMessage();
        return m != null && m.contains("asynchronous jobs running");
    }

    /** Runs {@code action}, again after a pause while it fails as {@code busy} says, for at most {@code wait}. */
    static <E extends Exception> void untilIdle(Action<E> action, java.util.function.Predicate<Exception> busy,
            Duration wait) throws E {
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 20;
        while (true) {
            try {
                action.run();
                return;
            } catch (Exception e) {
                if (!busy.test(e) || System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(500, pause * 2);
            }
        }
    }
}
