package dev.caravan.core.archfixture;

import dev.caravan.connector.beta.BetaHelper;

/** Fixture: an engine class that names a connector class. */
public final class CoreUsesConnector {
    public String name() {
        return BetaHelper.baseName("a/b");
    }
}
