package dev.caravan.core.testing;

import dev.caravan.api.store.ArchivedObjects;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.MetadataCheck;
import dev.caravan.api.store.SkippedEntries;
import dev.caravan.api.store.StoreCapability;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.Rename;
import dev.caravan.api.store.StoreFeatures;
import java.io.InputStream;
import java.util.Optional;
import java.util.stream.Stream;

/** Delegates every call to a {@link MemoryStore}; tests override the calls they observe or alter. */
public class ForwardingStore implements ObjectStore, Rename {
    private final MemoryStore delegate;

    public ForwardingStore(MemoryStore delegate) {
        this.delegate = delegate;
    }

    /** The store every call goes to. */
    public MemoryStore delegate() {
        return delegate;
    }

    @Override
    public String uri() {
        return delegate.uri();
    }

    /** The probe's put and delete go through this store's; its note is the delegate's {@link MemoryStore#probeNote}. */
    @Override
    public Optional<String> probeWrite(String key) {
        ObjectStore.super.probeWrite(key);
        return Optional.ofNullable(delegate.probeNote);
    }

    @Override
    public boolean rootIsAnObject() {
        return delegate.rootIsAnObject();
    }

    @Override
    public String keyProblem(String key) {
        return delegate.keyProblem(key);
    }

    @Override
    public boolean isFileTree() {
        return delegate.isFileTree();
    }

    @Override
    public boolean listsAttributes() {
        return delegate.listsAttributes();
    }

    @Override
    public boolean listsTags() {
        return delegate.listsTags();
    }

    @Override
    public <C extends StoreCapability> Optional<C> capability(Class<C> type) {
        return type == MetadataCheck.class || type == SkippedEntries.class || type == ArchivedObjects.class
                || type == dev.caravan.api.store.AttributeWrite.class || type == dev.caravan.api.store.TagWrite.class
                ? delegate.capability(type)
                : ObjectStore.super.capability(type);
    }

    @Override
    public StoreFeatures features() {
        return delegate.features();
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return delegate.stat(key);
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        return delegate.open(key, range);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        return delegate.put(key, data, request);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public void rename(String fromKey, String toKey) {
        delegate.rename(fromKey, toKey);
    }
}
