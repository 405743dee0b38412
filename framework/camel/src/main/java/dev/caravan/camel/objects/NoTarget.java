package dev.caravan.camel.objects;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.StoreFeatures;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The target of a consumer without a {@code target} option: an empty store, so that the plan against it makes every
 * listed object a COPY. It holds nothing and accepts nothing.
 */
final class NoTarget implements ObjectStore {
    /** Its location, part of the task ids of such consumers. */
    static final String URI = "none:";

    @Override
    public String uri() {
        return URI;
    }

    @Override
    public StoreFeatures features() {
        return new StoreFeatures(Set.of(), null, false, false, true, false);
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        return Stream.empty();
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return Optional.empty();
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        throw MigrationException.notFound("the consumer has no target store");
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        throw new MigrationException(ErrorKind.UNSUPPORTED, "the consumer has no target store");
    }

    @Override
    public void delete(String key) {
        throw new MigrationException(ErrorKind.UNSUPPORTED, "the consumer has no target store");
    }
}
