package dev.caravan.connector.gamma;

import org.apache.camel.archfixture.FakeExchange;

/** Fixture: a connector that uses Camel. */
public final class GammaUsesCamel {
    public Object body(FakeExchange exchange) {
        return exchange;
    }
}
