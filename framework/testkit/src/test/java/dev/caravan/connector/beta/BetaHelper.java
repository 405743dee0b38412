package dev.caravan.connector.beta;

import dev.caravan.api.store.ObjectKeys;

/** Fixture: a connector class that depends on the SPI only. */
public final class BetaHelper {
    private BetaHelper() {
    }

    public static String baseName(String key) {
        return ObjectKeys.baseName(key);
    }
}
