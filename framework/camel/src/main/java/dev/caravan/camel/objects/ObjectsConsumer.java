package dev.caravan.camel.objects;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.camel.FiniteConsumer;
import dev.caravan.camel.support.OptionValues;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.Mode;
import java.time.Instant;
import java.util.Iterator;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * On each poll, lists the store (and the {@code target} store, when set), merge-joins the two listings and emits
 * one exchange per object to move: body {@link ObjectInfo}, headers key, size, action and reason. Without a
 * target every listed object is a COPY. Exchanges are processed one after the other, in key order; a failed
 * exchange goes to the exception handler and the pass continues. With {@code once=true} the consumer does a single
 * pass and then reports itself {@link #finished()}.
 */
public class ObjectsConsumer extends ScheduledPollConsumer implements FiniteConsumer {
    private volatile boolean finished;

    public ObjectsConsumer(CaravanObjectsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public CaravanObjectsEndpoint getEndpoint() {
        return (CaravanObjectsEndpoint) super.getEndpoint();
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    protected int poll() throws Exception {
        CaravanObjectsEndpoint endpoint = getEndpoint();
        try {
            return pass(endpoint);
        } finally {
            if (endpoint.isOnce()) {
                finished = true;
            }
        }
    }

    private int pass(CaravanObjectsEndpoint endpoint) throws Exception {
        ObjectStore source = endpoint.store();
        String targetLocation = OptionValues.text(endpoint.getTarget());
        ObjectStore target = targetLocation == null ? null : endpoint.targetStore(targetLocation);
        Filters.Matcher filter = endpoint.filters().matcher(Instant.now());
        String prefix = endpoint.getPrefix() == null ? "" : endpoint.getPrefix();
        int emitted = 0;
        try (Stream<ObjectInfo> sources = source.list(prefix)
                .filter(i -> !Transfers.isTemporary(i.key()) && filter.matches(i));
                Stream<ObjectInfo> targets = listOrEmpty(target, prefix)
                        .filter(i -> !Transfers.isTemporary(i.key()) && filter.matchesKey(i.key()))) {
            Iterator<DiffEntry> diff = target == null
                    ? sources.map(i -> new DiffEntry(DiffAction.COPY, i, "listed")).iterator()
                    : new StoreDiff(sources.iterator(), targets.iterator(),
                            new ObjectComparison(endpoint.consumerCompare(), source, target),
                            endpoint.consumerMode() == Mode.SYNC);
            while (isRunAllowed() && diff.hasNext()) {
                emit(diff.next(), source, targetLocation);
                emitted++;
            }
        }
        return emitted;
    }

    private static Stream<ObjectInfo> listOrEmpty(ObjectStore store, String prefix) {
        if (store == null) {
            return Stream.empty();
        }
        try {
            return store.list(prefix);
        } catch (MigrationException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Stream.empty(); // a target that does not exist yet is empty
            }
            throw e;
        }
    }

    private void emit(DiffEntry entry, ObjectStore source, String targetLocation) {
        Exchange exchange = createExchange(false);
        try {
            Message in = exchange.getIn();
            in.setBody(entry.info());
            in.setHeader(ObjectsConstants.KEY, entry.info().key());
            in.setHeader(ObjectsConstants.SIZE, entry.info().size());
            in.setHeader(ObjectsConstants.ACTION, entry.action().name());
            in.setHeader(ObjectsConstants.REASON, entry.reason());
            in.setHeader(ObjectsConstants.SOURCE_STORE, source.uri());
            if (targetLocation != null) {
                in.setHeader(ObjectsConstants.TARGET_STORE, targetLocation);
            }
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing " + entry.action() + " of '"
                        + entry.info().key() + "'", exchange, exchange.getException());
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
