package dev.caravan.core.testing;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;

/** Scheme {@code mem}: {@code mem:name} opens the shared {@link MemoryStore} of that name. Tests only. */
public final class MemoryStoreProvider implements StoreProvider {
    @Override
    public String scheme() {
        return "mem";
    }

    @Override
    public String description() {
        return "In-memory store for framework tests";
    }

    @Override
    public Options options() {
        return Options.of("mem", OptionDef.of("token", OptionType.PASSWORD, "a secret, to test masking"));
    }

    @Override
    public ObjectStore open(String location, Config config) {
        MemoryStore store = MemoryStore.named(location);
        return new ObjectStoreView(store);
    }

    /** A provider of scheme {@code scheme} whose every location opens {@code store} itself (a test's own store). */
    public static StoreProvider of(String scheme, ObjectStore store) {
        return new StoreProvider() {
            @Override
            public String scheme() {
                return scheme;
            }

            @Override
            public String description() {
                return "test store " + scheme;
            }

            @Override
            public Options options() {
                return Options.of(scheme);
            }

            @Override
            public ObjectStore open(String location, Config config) {
                return store;
            }
        };
    }

    /** Keeps {@link ObjectStore#close()} from affecting the shared store. */
    private static final class ObjectStoreView extends ForwardingStore {
        ObjectStoreView(MemoryStore delegate) {
            super(delegate);
        }
    }
}
