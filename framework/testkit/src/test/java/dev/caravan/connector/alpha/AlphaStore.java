package dev.caravan.connector.alpha;

import dev.caravan.connector.beta.BetaHelper;

/** Fixture: a connector that uses another connector. */
public final class AlphaStore {
    public String name(String key) {
        return BetaHelper.baseName(key);
    }
}
