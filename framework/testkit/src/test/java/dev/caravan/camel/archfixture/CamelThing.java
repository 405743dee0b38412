package dev.caravan.camel.archfixture;

import dev.caravan.core.archfixture.CleanCore;
import org.apache.camel.archfixture.FakeExchange;

/** Fixture: a Camel adapter that uses Camel and the engine, as it should. */
public final class CamelThing {
    public String process(FakeExchange exchange) {
        return new CleanCore().plan() + exchange;
    }
}
