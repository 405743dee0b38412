package dev.caravan.api.archfixture;

import dev.caravan.core.archfixture.CleanCore;

/** Fixture: an SPI type that reaches into the engine. */
public final class ApiUsingCore {
    public String plan() {
        return new CleanCore().plan();
    }
}
