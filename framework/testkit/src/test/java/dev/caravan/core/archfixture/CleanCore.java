package dev.caravan.core.archfixture;

import dev.caravan.api.store.ObjectKeys;

/** Fixture: an engine class that depends on the SPI only. */
public final class CleanCore {
    public String plan() {
        return ObjectKeys.parent("a/b");
    }
}
