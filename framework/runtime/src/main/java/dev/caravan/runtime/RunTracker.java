package dev.caravan.runtime;

import dev.caravan.api.error.MigrationException;
import dev.caravan.camel.FiniteConsumer;
import dev.caravan.camel.support.BadInput;
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
import dev.caravan.runtime.schedule.ScheduleComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.component.timer.TimerEndpoint;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.LoggingExceptionHandler;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows when a batch of one-shot routes is done, and what failed. Every route gets a policy that counts the
 * exchanges it finished and records the failed ones; {@link #classify} decides, before the routes start, what
 * "done" means for each route (a timer with {@code repeatCount=n} has finished n exchanges; a {@code quartz:}
 * schedule, which a run fires once (see {@link ScheduleComponent}), has finished one; a {@link FiniteConsumer}
 * says it is finished; {@code direct:}/{@code seda:} routes only run when called), refuses routes that would run
 * forever, and gives consumers an exception handler that records a failed poll of a one-shot consumer and logs as
 * {@link CamelLogging} says. A failure is bad input when a {@code caravan:} endpoint marked it so (see
 * {@link BadInput}) or when a one-shot consumer failed to plan with a bad-input kind.
 */
final class RunTracker implements RoutePolicyFactory {
    private static final Logger LOG = LoggerFactory.getLogger(RunTracker.class);
    private static final Set<String> PASSIVE = Set.of("direct", "seda", "vm", "direct-vm", "stub", "disruptor",
            "disruptor-vm");

    private final Map<String, AtomicLong> done = new ConcurrentHashMap<>();
    private final Set<String> origins = ConcurrentHashMap.newKeySet();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final Object monitor = new Object();
    private final CamelLogging logging;
    private final TemplateParameterNames parameterNames;

    /** One failure: the line a user sees, and whether it is bad input found before anything was written. */
    private record Failure(String message, boolean badInput) {
    }

    /** @param parameterNames how a failure of a route made from a template names the options to set */
    RunTracker(CamelLogging logging, TemplateParameterNames parameterNames) {
        this.logging = logging;
        this.parameterNames = parameterNames;
    }

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
            record(routeId, exchange.getException(), BadInput.failedWith(exchange));
        }
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    private void record(String routeId, Throwable e, boolean badInput) {
        failures.add(new Failure("route '" + routeId + "': " + (e == null ? "failed"
                : parameterNames.inRoute(routeId, describe(e))), badInput));
        if (logging == CamelLogging.QUIET && e != null) {
            if (find(e) != null) {
                LOG.debug("route '{}' failed", routeId, e); // the message is the one line of RoutesRun.errors()
            } else {
                LOG.warn("route '{}' failed: {}", routeId, e.toString(), e);
            }
        }
    }

    private static String describe(Throwable e) {
        MigrationException m = find(e);
        if (m != null) {
            return m.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    private static MigrationException find(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof MigrationException m) {
                return m;
            }
        }
        return null;
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
            if (from instanceof TimerEndpoint || isOneShotSchedule(from)) {
                long expected = from instanceof TimerEndpoint timer ? timer.getRepeatCount() : 1;
                if (expected <= 0) {
                    throw repeating(route, "repeats forever; add repeatCount=1");
                }
                String id = route.getRouteId();
                origins.add(id);
                conditions.add(() -> done.getOrDefault(id, new AtomicLong()).get() >= expected);
            } else if (route.getConsumer() instanceof FiniteConsumer finite) {
                origins.add(route.getRouteId());
                conditions.add(finite::finished);
                handleExceptions(route, true);
                continue;
            } else if (!PASSIVE.contains(scheme)) {
                throw repeating(route, scheme.equals("quartz") || scheme.equals("cron") || scheme.equals("scheduler")
                        ? "runs on a schedule that a run cannot fire once" : "keeps listening");
            }
            handleExceptions(route, false);
        }
        if (conditions.isEmpty()) {
            throw MigrationException.userConfig("none of the routes starts by itself: start a migration route from a"
                    + " one-shot trigger such as timer:go?repeatCount=1, or instantiate a template with templatedRoute");
        }
        return conditions;
    }

    /** A {@code quartz:} route of a run: it fires once, at once (see {@link ScheduleComponent}). */
    private static boolean isOneShotSchedule(Endpoint from) {
        return from instanceof QuartzEndpoint quartz && quartz.getComponent() instanceof ScheduleComponent schedules
                && schedules.isOneShot();
    }

    private static MigrationException repeating(Route route, String why) {
        return MigrationException.userConfig("route '" + route.getRouteId() + "' starts from "
                + route.getEndpoint().getEndpointUri() + ", which " + why + "; a run needs routes that end by"
                + " themselves (timer:...?repeatCount=1, caravan-objects:...?once=true, or a quartz: schedule, which a"
                + " run fires once); use 'caravan serve' for routes that keep running");
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

    /**
     * Replaces Camel's default exception handler of the route's consumer (a handler the user configured stays): a
     * failed poll of a one-shot consumer is a failure of the batch; what Camel would log is logged at DEBUG when
     * quiet, as Camel does otherwise.
     */
    private void handleExceptions(Route route, boolean oneShot) {
        if (!(route.getConsumer() instanceof DefaultConsumer consumer)
                || !(consumer.getExceptionHandler() instanceof LoggingExceptionHandler camel)) {
            return;
        }
        String routeId = route.getRouteId();
        consumer.setExceptionHandler(new ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                handleException(null, null, exception);
            }

            @Override
            public void handleException(String message, Throwable exception) {
                handleException(message, null, exception);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                if (exchange == null && oneShot) {
                    MigrationException m = find(exception);
                    record(routeId, exception, m != null && BadInput.isBadInput(m.kind()));
                    synchronized (monitor) {
                        monitor.notifyAll();
                    }
                }
                if (logging == CamelLogging.CAMEL) {
                    camel.handleException(message, exchange, exception);
                } else {
                    LOG.debug("route '{}': {}", routeId, message, exception);
                }
            }
        });
    }

    /** Failed exchanges of the routes that start work, and failed polls of one-shot consumers, in order. */
    List<String> errors() {
        return failures.stream().map(Failure::message).toList();
    }

    /** Those of {@link #errors()} that are bad input found before anything was written. */
    List<String> badInput() {
        return failures.stream().filter(Failure::badInput).map(Failure::message).toList();
    }
}
