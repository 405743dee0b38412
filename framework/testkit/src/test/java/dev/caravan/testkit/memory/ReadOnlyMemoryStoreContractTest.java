package dev.caravan.testkit.memory;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.contract.ObjectStoreReadContract;

/** Runs the contract in read-only mode: objects are seeded behind the store's back and only the read part runs. */
class ReadOnlyMemoryStoreContractTest extends ObjectStoreReadContract {
    private MemoryObjectStore store;

    @Override
    protected ObjectStore newStore() {
        store = new MemoryObjectStore(true);
        return store;
    }

    @Override
    protected boolean readOnly() {
        return true;
    }

    @Override
    protected void seed(String key, byte[] data) {
        store.seed(key, data);
    }
}
