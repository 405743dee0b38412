package dev.caravan.runtime;

import dev.caravan.api.error.MigrationException;
import dev.caravan.camel.FiniteConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.timer.TimerEndpoint;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Knows when a batch of one-shot routes is done. Every route gets a policy that counts the exchanges it finished
 * and records the failed ones; {@link #classify} decides, before the routes start, what "done" means for each
 * route (a timer with {@code repeatCount=n} has finished n exchanges; a {@link FiniteConsumer} says it is
 * finished; {@code direct:}/{@code seda:} routes only run when called) and refuses routes that would run forever.
 */
final class RunTracker implements RoutePolicyFactory {
    private static final Set<String> PASSIVE = Set.of("direct", "seda", "vm", "direct-vm", "stub", "disruptor",
            "disruptor-vm");

    private final Map<String, AtomicLong> done = new ConcurrentHashMap<>();
    private final Set<String> origins = ConcurrentHashMap.newKeySet();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Object monitor = new Object();

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onExchangeDone(Route r, Exchange exchange) {
                finished(r.getRouteId(), exchange);
            }
        };
    }

    private void finished(String routeId, Exchange exchange) {
        done.computeIfAbsent(routeId, id -> new AtomicLong()).incrementAndGet();
        if (exchange.isFailed() && origins.contains(routeId)) {
            Exception e = exchange.getException();
            errors.add("route '" + routeId + "': " + (e == null ? "failed" : describe(e)));
        }
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    private static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MigrationException m) {
                return m.getMessage();
            }
        }
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    /**
     * What each route must do before the batch is done; throws USER_CONFIG for a route that never ends by itself
     * (a schedule, a repeating timer, a listener) or when no route starts anything.
     */
    List<BooleanSupplier> classify(CamelContext context) {
        List<BooleanSupplier> conditions = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            Endpoint from = route.getEndpoint();
            String scheme = scheme(from.getEndpointUri());
            if (from instanceof TimerEndpoint timer) {
                if (timer.getRepeatCount() <= 0) {
                    throw repeating(route, "repeats forever; add repeatCount=1");
                }
                long expected = timer.getRepeatCount();
                String id = route.getRouteId();
                origins.add(id);
                conditions.add(() -> done.getOrDefault(id, new AtomicLong()).get() >= expected);
            } else if (route.getConsumer() instanceof FiniteConsumer finite) {
                origins.add(route.getRouteId());
                conditions.add(finite::finished);
            } else if (!PASSIVE.contains(scheme)) {
                throw repeating(route, scheme.equals("quartz") || scheme.equals("cron") || scheme.equals("scheduler")
                        ? "runs on a schedule" : "keeps listening");
            }
        }
        if (conditions.isEmpty()) {
            throw MigrationException.userConfig("none of the routes starts by itself: start a migration route from a"
                    + " one-shot trigger such as timer:go?repeatCount=1, or instantiate a template with templatedRoute");
        }
        return conditions;
    }

    private static MigrationException repeating(Route route, String why) {
        return MigrationException.userConfig("route '" + route.getRouteId() + "' starts from "
                + route.getEndpoint().getEndpointUri() + ", which " + why + "; a run needs routes that end by"
                + " themselves (timer:...?repeatCount=1 or caravan-objects:...?once=true); scheduled routes are"
                + " for serving, not for a run");
    }

    private static String scheme(String uri) {
        int colon = uri.indexOf(':');
        return (colon < 0 ? uri : uri.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    /** Blocks until every condition holds and no exchange is in flight, or the context stops. */
    void await(CamelContext context, List<BooleanSupplier> conditions) throws InterruptedException {
        synchronized (monitor) {
            while (!context.isStopping() && !context.isStopped()) {
                boolean all = conditions.stream().allMatch(BooleanSupplier::getAsBoolean);
                if (all && context.getInflightRepository().size() == 0) {
                    return;
                }
                monitor.wait(100); // woken by every finished exchange; the timeout covers inflight changes
            }
        }
    }

    /** Failed exchanges of the routes that start work, in order. */
    List<String> errors() {
        return List.copyOf(errors);
    }
}
