package dev.caravan.camel.testing;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake object-store connector for framework unit tests (scheme {@code mem}): each location is a named in-memory
 * namespace shared by every store opened on it. Option {@code corrupt=true} flips the first byte of every put, to
 * exercise verification.
 */
public final class MemoryStoreProvider implements StoreProvider {
    private static final Map<String, MemoryStore.Data> SPACES = new ConcurrentHashMap<>();

    /** The namespace of a location (created empty on first use). */
    public static MemoryStore.Data space(String location) {
        return SPACES.computeIfAbsent(location, l -> new MemoryStore.Data());
    }

    @Override
    public String scheme() {
        return "mem";
    }

    @Override
    public String description() {
        return "in-memory test store";
    }

    @Override
    public Options options() {
        return Options.of("mem",
                OptionDef.of("label", OptionType.STRING, "A label, for tests of connector options"),
                OptionDef.of("corrupt", OptionType.BOOLEAN, "Flip the first byte of every put").withDefault("false"));
    }

    @Override
    public ObjectStore open(String location, Config config) {
        return new MemoryStore("mem:" + location, space(location), config.bool("corrupt"));
    }
}
