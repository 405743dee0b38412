package dev.caravan.runtime;

import dev.caravan.camel.migration.CaravanConstants;
import dev.caravan.camel.support.BadInput;
import dev.caravan.core.engine.RunEndedException;
import dev.caravan.runtime.metrics.CaravanMetrics;
import dev.caravan.runtime.schedule.BandwidthScheduler;
import dev.caravan.runtime.schedule.FireBackoff;
import dev.caravan.runtime.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code caravan serve} does around each exchange of a route: for a scheduled route, records the fire and its
 * result in the {@link ScheduleStore}, skips its fires while it backs off after fires refused as bad input
 * ({@link FireBackoff}), and switches the schedule's bandwidth timetable on for the time of the run;
 * for every route, logs a failure and counts it in the metrics. Also knows which routes are busy, so that a shared
 * worker does not join a run it is already running.
 */
final class ServeTracker implements RoutePolicyFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ServeTracker.class);

    private final String worker;
    private final ScheduleStore store;
    private final BandwidthScheduler bandwidth;
    private final CaravanMetrics metrics;
    private final Function<Route, Schedule> schedules;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> scheduledOf = new ConcurrentHashMap<>();

    ServeTracker(String worker, ScheduleStore store, BandwidthScheduler bandwidth, CaravanMetrics metrics,
            Function<Route, Schedule> schedules) {
        this.worker = worker;
        this.store = store;
        this.bandwidth = bandwidth;
        this.metrics = metrics;
        this.schedules = schedules;
    }

    /** Marks a route busy; false when it already was (its migration runs here now). */
    boolean enter(String routeId) {
        return busy.add(routeId);
    }

    void leave(String routeId) {
        busy.remove(routeId);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route r, Exchange exchange) {
                begin(r, exchange);
            }

            @Override
            public void onExchangeDone(Route r, Exchange exchange) {
                done(r, exchange);
            }
        };
    }

    private void begin(Route route, Exchange exchange) {
        Schedule schedule = schedules.apply(route);
        if (schedule == null) {
            return;
        }
        if (schedule.blackout() != null && schedule.blackout().covers(System.currentTimeMillis())) {
            // Quartz's calendar keeps the trigger out of its windows, but not the first fire after a start or a
            // misfire's "fire now" (both were seen inside a window): the fire is skipped here
            LOG.info("schedule {} fired inside its blackout window ({}): skipped", route.getRouteId(),
                    schedule.blackout());
            exchange.setRouteStop(true);
            return;
        }
        Instant resume = backoffUntil(route.getRouteId());
        if (resume != null && Instant.now().isBefore(resume)) {
            LOG.debug("schedule {} fired while backing off after refused fires: skipped (until {})",
                    route.getRouteId(), resume);
            exchange.setRouteStop(true);
            return;
        }
        busy.add(route.getRouteId());
        Message in = exchange.getMessage();
        Instant scheduled = instant(in.getHeader("scheduledFireTime"));
        Instant fired = instant(in.getHeader("fireTime"));
        scheduled = scheduled != null ? scheduled : Instant.now();
        scheduledOf.put(exchange.getExchangeId(), scheduled);
        LOG.info("schedule {} fired (scheduled {}) on worker {}", route.getRouteId(), scheduled, worker);
        try {
            // the next fire time first, so that a status which sees this fire never shows it as the next one (a
            // one-shot fire, as the missed fire's "fire now", has none: the schedule's own is published as before)
            Instant next = instant(in.getHeader("nextFireTime"));
            if (next != null) {
                store.define(route.getRouteId(), schedule.describe(), next, worker);
            }
            if (!store.fired(route.getRouteId(), scheduled, fired != null ? fired : Instant.now(), worker)) {
                LOG.warn("schedule {} fired a second time for {}: its Quartz is not shared by the group",
                        route.getRouteId(), scheduled);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not record the fire of {}: {}", route.getRouteId(), e.getMessage());
        }
        if (schedule.timetable() != null) {
            bandwidth.activate(exchange.getExchangeId(), schedule.timetable());
        }
    }

    private void done(Route route, Exchange exchange) {
        Instant scheduled = scheduledOf.remove(exchange.getExchangeId());
        bandwidth.deactivate(exchange.getExchangeId());
        String error = null;
        boolean refused = exchange.isFailed() && BadInput.failedWith(exchange);
        if (exchange.isFailed()) {
            Throwable e = exchange.getException();
            error = e == null ? "failed" : e.getMessage() == null ? e.toString() : e.getMessage();
            if (scheduled == null || !refused) { // a refused fire is said once, with its backoff, below
                LOG.warn("route {} failed: {}", route.getRouteId(), error);
            }
            metrics.onFailure(route.getRouteId());
        }
        if (scheduled == null) {
            return;
        }
        busy.remove(route.getRouteId());
        Message in = exchange.getMessage();
        RunEndedException ended = ended(exchange.getException());
        String outcome = error == null ? in.getHeader(CaravanConstants.OUTCOME, String.class)
                : refused ? FireBackoff.REFUSED : ended != null && ended.resumable() ? "STOPPED" : "ERROR";
        String runId = in.getHeader(CaravanConstants.RUN_ID, String.class);
        try {
            store.finished(route.getRouteId(), scheduled, runId != null || ended == null ? runId : ended.runId(),
                    outcome == null ? "DONE" : outcome, number(in.getHeader(CaravanConstants.OBJECTS_COPIED)),
                    number(in.getHeader(CaravanConstants.BYTES_COPIED)), error);
        } catch (RuntimeException e) {
            LOG.warn("could not record the result of {}: {}", route.getRouteId(), e.getMessage());
        }
        if (refused) {
            int times = Math.max(1, refusedInARow(route.getRouteId()));
            Duration pause = FireBackoff.pause(times);
            LOG.warn("schedule {} refused: {} ({} refused fire(s) in a row: its fires are skipped for {}, until {};"
                    + " fix the configuration, the first fire after that tries again)", route.getRouteId(), error,
                    times, pause.toString().substring(2).toLowerCase(Locale.ROOT),
                    Instant.now().plus(pause).truncatedTo(ChronoUnit.SECONDS));
        } else {
            LOG.info("schedule {} ended: {}", route.getRouteId(), outcome);
        }
    }

    /** The run a refused or stopped fire left (ABORTED, or unfinished), found among the causes of its failure. */
    private static RunEndedException ended(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RunEndedException e) {
                return e;
            }
        }
        return null;
    }

    /** Until when the schedule backs off after refused fires ({@link FireBackoff}), or {@code null}. */
    private Instant backoffUntil(String schedule) {
        try {
            return FireBackoff.resumeAt(store.latestFires(schedule));
        } catch (RuntimeException e) {
            LOG.warn("could not read the last fires of {}: {}", schedule, e.getMessage());
            return null;
        }
    }

    private int refusedInARow(String schedule) {
        try {
            return FireBackoff.refusedInARow(store.latestFires(schedule));
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private static Instant instant(Object header) {
        return header instanceof Date d ? d.toInstant() : null;
    }

    private static long number(Object header) {
        return header instanceof Number n ? n.longValue() : 0;
    }
}
