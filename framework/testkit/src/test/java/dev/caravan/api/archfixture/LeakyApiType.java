package dev.caravan.api.archfixture;

import org.apache.camel.archfixture.FakeExchange;

/** Fixture: an SPI type that leaks a Camel type. */
public final class LeakyApiType {
    public FakeExchange exchange() {
        return new FakeExchange();
    }
}
