package dev.caravan.api.store;

import java.util.Optional;
import java.util.Set;

/**
 * Tells from a store's credentials alone, before any request, whether they grant what a side of a migration needs,
 * where the credentials say so themselves (an Azure SAS lists its permissions, resource types and services), so a
 * plan can fail before anything is written. Fallback when absent: the run's write probe and the first requests
 * find a refusal. Implementations are stateless and thread-safe, and never reveal a secret.
 */
public interface GrantedAccess extends StoreCapability {
    /** What a side of a migration does to its store. */
    enum Need {
        /** Read objects and their properties. */
        READ,
        /** List objects. */
        LIST,
        /** Write objects and their attributes. */
        WRITE,
        /** Create objects (and the container when the options say so). */
        CREATE,
        /** Delete objects. */
        DELETE
    }

    /**
     * Why the credentials do not grant every one of {@code needs}, in words a user can act on (what they grant, what
     * is missing); empty when they do, or when the credentials do not tell.
     */
    Optional<String> lacking(Set<Need> needs);
}
