package dev.caravan.testkit.memory;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.contract.ObjectStoreContract;

/**
 * Runs the whole contract against a correct in-memory store, from another package as a connector would, to prove
 * the suite is discovered and passes when the store is right.
 */
class MemoryStoreContractTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        return new MemoryObjectStore(false);
    }
}
