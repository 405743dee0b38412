package dev.caravan.camel.objects;

import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.StoreCapability;
import dev.caravan.api.store.StoreFeatures;
import java.io.InputStream;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A store whose listings stop at a key prefix (the consumer's {@code prefix} option): the planner lists the whole
 * store, this narrows the listing at the connector, where a prefix is cheap. Everything else is the store's own,
 * including its location, so task ids do not change. Not closed here: the endpoint owns the store.
 */
final class PrefixedStore implements ObjectStore {
    private final ObjectStore store;
    private final String prefix;

    private PrefixedStore(ObjectStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    /** The store itself when the prefix is empty. */
    static ObjectStore of(ObjectStore store, String prefix) {
        return prefix == null || prefix.isEmpty() ? store : new PrefixedStore(store, prefix);
    }

    @Override
    public Stream<ObjectInfo> list(String p) {
        if (p.startsWith(prefix)) {
            return store.list(p);
        }
        return prefix.startsWith(p) ? store.list(prefix) : Stream.empty();
    }

    @Override
    public String uri() {
        return store.uri();
    }

    @Override
    public StoreFeatures features() {
        return store.features();
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return store.stat(key);
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        return store.open(key, range);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        return store.put(key, data, request);
    }

    @Override
    public String impliedContentType(String key) {
        return store.impliedContentType(key);
    }

    @Override
    public boolean listsAttributes() {
        return store.listsAttributes();
    }

    @Override
    public boolean listsTags() {
        return store.listsTags();
    }

    @Override
    public boolean rootIsAnObject() {
        return store.rootIsAnObject();
    }

    @Override
    public String rootLocation() {
        return store.rootLocation();
    }

    @Override
    public String keyProblem(String key) {
        return store.keyProblem(key);
    }

    @Override
    public boolean isFileTree() {
        return store.isFileTree();
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public <C extends StoreCapability> Optional<C> capability(Class<C> type) {
        return store.capability(type);
    }
}
