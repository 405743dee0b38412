package dev.caravan.camel;

/**
 * A consumer that stops producing exchanges by itself (for example {@code caravan-objects:...?once=true}). A
 * runner that waits for one-shot routes to finish asks it whether it is done.
 */
public interface FiniteConsumer {
    /**
     * True once the consumer has emitted (and its route has processed) every exchange it will ever emit. Exchanges
     * handed to asynchronous steps may still be in flight; check the inflight repository as well.
     */
    boolean finished();
}
