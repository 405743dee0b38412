package dev.caravan.api;

import dev.caravan.api.config.Options;

/**
 * Common face of every connector provider, found by {@link java.util.ServiceLoader} through one of its
 * sub-interfaces ({@link dev.caravan.api.store.StoreProvider}, {@link dev.caravan.api.record.RecordProvider},
 * {@link dev.caravan.api.vm.HypervisorProvider}). Providers are stateless and thread-safe.
 */
public interface ConnectorProvider {
    /** The URI scheme that selects this connector, e.g. {@code local}, {@code s3}. Lower case, unique. */
    String scheme();

    /** One line for {@code caravan connectors}. */
    String description();

    /** Every option this connector accepts, declared as data. */
    Options options();

    /**
     * Does now, on the calling thread, the one-time set-up the first {@code open} of this connector would pay for
     * (loading and initializing its client library), so that a launcher which knows from its command line that the
     * connector will be used can overlap that work with its own start-up on another thread. Touches neither the
     * network nor any data, reads no credentials, and never fails (problems are left for the real open to report).
     * Optional: the default does nothing.
     */
    default void warmUp() {
    }
}
