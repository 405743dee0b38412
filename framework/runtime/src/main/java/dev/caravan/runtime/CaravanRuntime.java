package dev.caravan.runtime;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.camel.migration.CaravanEndpoint;
import dev.caravan.camel.migration.CaravanOperation;
import dev.caravan.camel.migration.MigrationListener;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.runtime.schedule.BandwidthScheduler;
import dev.caravan.runtime.schedule.Schedule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Runs Caravan routes on camel-main: YAML route files (Camel YAML DSL) plus every route template on the class
 * path under {@code caravan/routes/}. One runtime per process; it owns one {@link MigrationEngine}, opened on first
 * use and closed by {@link #close()}. Not thread-safe: run one batch of routes at a time.
 *
 * <p>Route files for {@link #runRoutes} must end by themselves: every route starts from a one-shot trigger
 * ({@code timer:...?repeatCount=1}, {@code caravan-objects:...?once=true}), from a {@code quartz:} schedule, which
 * a run fires exactly once, at once (schedule, blackout and misfire rule ignored), or is called by one
 * ({@code direct:}, {@code seda:}). Other routes that never end (a repeating timer, a listener) are refused with a
 * USER_CONFIG error; {@link #serve} runs those, and runs schedules on their schedule.
 *
 * <p>The {@code caravan:} and {@code caravan-objects:} components of the routes share the runtime's engine, so
 * object consumers keep their passes in its journal. Camel's own logging is quiet unless asked for (see
 * {@link #camelLogging}): failures come back as one line each in {@link RoutesRun#errors()}.
 */
public final class CaravanRuntime implements AutoCloseable {
    private final EngineSettings settings;
    private CamelLogging camelLogging = CamelLogging.fromSystemProperty();
    private MigrationEngine engine;

    private CaravanRuntime(EngineSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A runtime with the given engine settings; nothing is opened yet. */
    public static CaravanRuntime create(EngineSettings settings) {
        return new CaravanRuntime(settings);
    }

    /**
     * How much Camel itself logs; default {@link CamelLogging#QUIET} (or the system property
     * {@value CamelLogging#PROPERTY}).
     */
    public synchronized CaravanRuntime camelLogging(CamelLogging logging) {
        this.camelLogging = Objects.requireNonNull(logging, "logging");
        return this;
    }

    /** The engine of this runtime, opened (with its journal) on first use. */
    public synchronized MigrationEngine engine() {
        if (engine == null) {
            engine = MigrationEngine.open(settings);
        }
        return engine;
    }

    /**
     * Loads the route files, starts every route, waits until each one-shot trigger has fired and every exchange
     * is done, then stops Camel. Object runs ({@code caravan:}), record migrations and conversions
     * ({@code caravan-records:}) and VM moves ({@code caravan-vm:}) are all reported and counted in the exit code.
     *
     * @param yamlFiles route files in Camel YAML DSL (routes, route templates, templatedRoute)
     * @param listener  progress of every migration the routes run
     * @return the runs, their failures and the exit code (0: everything complete and verified; 2: the only failures
     *         are bad input found before anything was written; 1: anything else failed)
     * @throws MigrationException USER_CONFIG for a malformed file ({@code file:line:column}), an unknown
     *                            template, endpoint option or connector, or a route that would never end
     */
    public RoutesRun runRoutes(List<Path> yamlFiles, ProgressListener listener) {
        requireFiles(yamlFiles);
        List<RunResult> results = new CopyOnWriteArrayList<>();
        RouteOutcomes outcomes = new RouteOutcomes();
        List<String> errors;
        List<String> badInput;
        try (RouteSession session = new RouteSession(yamlFiles, this::engine,
                listener == null ? ProgressListener.NONE : listener, camelLogging);
                BandwidthScheduler timetables = new BandwidthScheduler(() -> engine().bandwidth(),
                        java.time.Clock.systemDefaultZone(), java.time.Duration.ofSeconds(5))) {
            session.addPolicyFactory((context, routeId, node) -> new RoutePolicySupport() {
                @Override
                public void onExchangeBegin(Route route, Exchange exchange) {
                    session.quartz().schedule(route.getEndpoint()).map(Schedule::timetable)
                            .ifPresent(t -> timetables.activate(exchange.getExchangeId(), t));
                }

                @Override
                public void onExchangeDone(Route route, Exchange exchange) {
                    timetables.deactivate(exchange.getExchangeId());
                }
            });
            session.caravan().addListener(new MigrationListener() {
                @Override
                public void onRun(RunResult result) {
                    results.add(result);
                }
            });
            session.records().addListener(outcomes);
            session.addEventNotifier(outcomes);
            session.load();
            List<BooleanSupplier> done = session.tracker().classify(session.context());
            session.startRoutes();
            session.tracker().await(session.context(), done);
            errors = session.tracker().errors();
            badInput = session.tracker().badInput();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MigrationException.userConfig("interrupted while the routes were running");
        }
        return RoutesRun.of(results, outcomes.records(), outcomes.vms(), errors, badInput);
    }

    /**
     * Loads the route files without starting any route, and plans every {@code caravan:migrate},
     * {@code caravan-records:} and {@code caravan-vm:} move endpoint they contain (template parameters resolved,
     * headers not applied): object plans, per table the type mapping and {@code sampleRows} converted records, and
     * VM preflight checks. Nothing is written anywhere and no VM moves; triggers and other endpoints never run.
     *
     * @param sampleRows converted records to show per table ({@code caravan plan --sample N}); 0 for none
     */
    public PlanOutcome planRoutes(List<Path> yamlFiles, int sampleRows) {
        requireFiles(yamlFiles);
        if (sampleRows < 0) {
            throw MigrationException.userConfig("the number of sample records must be 0 or more, not " + sampleRows);
        }
        List<PlanResult> plans = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> badInput = new ArrayList<>();
        try (RouteSession session = new RouteSession(yamlFiles, this::engine, ProgressListener.NONE, camelLogging)) {
            session.load();
            for (RouteEndpoints.Located<CaravanEndpoint> found : RouteEndpoints.all(session.context(),
                    CaravanEndpoint.class)) {
                if (found.endpoint().getOperation() == CaravanOperation.MIGRATE) {
                    try {
                        plans.add(engine().plan(found.endpoint().spec(h -> null, found.routeId())));
                    } catch (MigrationException e) {
                        RoutePlanner.failed(found.where(), session.parameterNames().inRoute(found.routeId(), e),
                                errors, badInput);
                    }
                }
            }
            RoutePlanner planner = new RoutePlanner(session.context(), sampleRows, errors, badInput);
            return PlanOutcome.of(plans, planner.records(), planner.vms(), errors, badInput);
        }
    }

    /**
     * Verifies every table migration of the files ({@code caravan-records:migrate}) against its source, writing
     * nothing: the reports by route; a migration that cannot be verified adds to {@code errors} (and, when it is bad
     * input, to {@code badInput}).
     */
    public List<Map.Entry<String, VerificationReport>> verifyRecordRoutes(List<Path> yamlFiles, List<String> errors,
            List<String> badInput) {
        requireFiles(yamlFiles);
        try (RouteSession session = new RouteSession(yamlFiles, this::engine, ProgressListener.NONE, camelLogging)) {
            session.load();
            return new RoutePlanner(session.context(), 0, errors, badInput).recordVerifications();
        }
    }

    /** {@link #planRoutes(List, int)} without sample records. */
    public PlanOutcome planRoutes(List<Path> yamlFiles) {
        return planRoutes(yamlFiles, 0);
    }

    static List<CaravanEndpoint> caravanEndpoints(Navigate<Processor> nav, Set<Endpoint> seen) {
        return RouteEndpoints.find(nav, seen, CaravanEndpoint.class);
    }

    /**
     * Serves route files until the returned server is stopped: scheduled routes ({@code quartz:}) fire on their
     * schedules, other routes run as they are triggered. Unlike {@link #runRoutes}, routes that never end are fine
     * here. Close the server before this runtime.
     *
     * @throws MigrationException USER_CONFIG for a malformed file, an unknown template, option or connector
     */
    public CaravanServer serve(List<Path> yamlFiles, ServeOptions options) {
        return CaravanServer.start(this, yamlFiles, options, camelLogging);
    }

    /** Every route template on the class path under {@code caravan/routes/}, by id. */
    public List<RouteTemplateInfo> templates() {
        try (RouteSession session = new RouteSession(List.of(), this::engine, ProgressListener.NONE, camelLogging)) {
            session.load();
            return session.templates().stream().map(CaravanRuntime::info)
                    .sorted(Comparator.comparing(RouteTemplateInfo::id)).toList();
        }
    }

    private static RouteTemplateInfo info(RouteTemplateDefinition def) {
        List<RouteTemplateInfo.Parameter> params = def.getTemplateParameters() == null ? List.of()
                : def.getTemplateParameters().stream().map(p -> new RouteTemplateInfo.Parameter(p.getName(),
                        p.getDescription(), p.getDefaultValue(), p.isRequired() && p.getDefaultValue() == null))
                        .toList();
        String location = def.getResource() == null ? null : def.getResource().getLocation();
        return new RouteTemplateInfo(def.getId(), def.getDescription(), location, params);
    }

    private static void requireFiles(List<Path> files) {
        if (files == null || files.isEmpty()) {
            throw MigrationException.userConfig("no route files given");
        }
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
