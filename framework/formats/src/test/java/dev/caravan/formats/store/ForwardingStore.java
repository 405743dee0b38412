package dev.caravan.formats.store;

import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.StoreFeatures;
import java.io.InputStream;
import java.util.Optional;
import java.util.stream.Stream;

/** A store that delegates to another with different features and no capabilities (an object store like S3). */
class ForwardingStore implements ObjectStore {
    final ObjectStore delegate;
    private final boolean atomicPut;

    ForwardingStore(ObjectStore delegate, boolean atomicPut) {
        this.delegate = delegate;
        this.atomicPut = atomicPut;
    }

    @Override
    public String uri() {
        return "test:" + delegate.uri();
    }

    @Override
    public StoreFeatures features() {
        StoreFeatures f = delegate.features();
        return new StoreFeatures(f.hashes(), f.modTimePrecision(), f.keepsModTime(), f.keepsPosixMode(), atomicPut,
                f.caseInsensitive());
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
}
