package dev.caravan.core.testing;

import dev.caravan.api.store.GrantedAccess;
import dev.caravan.api.store.StoreCapability;
import dev.caravan.api.store.StoreFeatures;
import java.util.Optional;

/**
 * A {@link MemoryStore} whose credentials say what they grant ({@link GrantedAccess}, as an Azure SAS does): everything
 * but delete ({@code deletes} false), with or without atomic puts.
 */
public final class GrantingStore extends ForwardingStore {
    private final boolean atomicPut;
    private final boolean deletes;

    public GrantingStore(MemoryStore delegate, boolean atomicPut) {
        this(delegate, atomicPut, false);
    }

    public GrantingStore(MemoryStore delegate, boolean atomicPut, boolean deletes) {
        super(delegate);
        this.atomicPut = atomicPut;
        this.deletes = deletes;
    }

    @Override
    public StoreFeatures features() {
        StoreFeatures f = super.features();
        return new StoreFeatures(f.hashes(), f.modTimePrecision(), f.keepsModTime(), f.keepsPosixMode(), atomicPut,
                f.caseInsensitive(), f.keeps());
    }

    @Override
    public <C extends StoreCapability> Optional<C> capability(Class<C> type) {
        if (type == GrantedAccess.class) {
            GrantedAccess granted = needs -> deletes || !needs.contains(GrantedAccess.Need.DELETE)
                    ? Optional.empty() : Optional.of("no DELETE");
            return Optional.of(type.cast(granted));
        }
        return super.capability(type);
    }
}
