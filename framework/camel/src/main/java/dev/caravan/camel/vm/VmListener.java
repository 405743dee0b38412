package dev.caravan.camel.vm;

import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.MigrationResult;

/**
 * Told about the progress and the result of every move a {@code caravan-vm:} endpoint runs (for a progress bar or
 * metrics). Register with {@link CaravanVmComponent#addListener}. Progress comes from the hypervisor's polling
 * thread, results from the exchange's thread; implementations must be thread-safe and quick.
 */
public interface VmListener {

    /** A snapshot of a running move of {@code domain}. */
    default void onProgress(String domain, JobProgress progress) {
    }

    /** A move finished. */
    default void onResult(MigrationResult result) {
    }
}
