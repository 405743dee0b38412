package dev.caravan.core.archfixture;

import org.apache.camel.archfixture.FakeExchange;

/** Fixture: an engine class that uses Camel. */
public final class CoreUsesCamel {
    public String describe(FakeExchange exchange) {
        return String.valueOf(exchange);
    }
}
