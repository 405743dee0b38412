package dev.caravan.runtime;

import dev.caravan.api.error.MigrationException;
import dev.caravan.camel.migration.CaravanComponent;
import dev.caravan.camel.objects.CaravanObjectsComponent;
import dev.caravan.camel.records.CaravanRecordsComponent;
import dev.caravan.camel.vm.CaravanVmComponent;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.runtime.schedule.ScheduleComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * One camel-main instance with the given YAML route files and every route template on the class path under
 * {@code caravan/routes/} (see {@link TemplateResources}), loaded with routes created but not started, so that the
 * caller decides whether to plan them (inspect their endpoints) or start them. The {@code caravan:},
 * {@code caravan-objects:} and {@code caravan-vm:} components share the runtime's engine (journal and bandwidth
 * limit); {@code caravan-records:} takes its journal from the {@code caravan:} component's engine.
 */
final class RouteSession implements AutoCloseable {
    /** Where the route templates of the caravan-routes module (and any other jar) live on the class path. */
    static final String TEMPLATES = "caravan/routes";

    private final Main main;
    private final CaravanComponent caravan = new CaravanComponent();
    private final CaravanObjectsComponent objects = new CaravanObjectsComponent();
    private final CaravanRecordsComponent records = new CaravanRecordsComponent();
    private final CaravanVmComponent vm = new CaravanVmComponent();
    private final RunTracker tracker;
    private final TemplateParameterNames parameterNames = new TemplateParameterNames(this::context);
    private final CamelLogging logging;
    private final List<Path> files;
    private final RouteErrors errors;
    private final ScheduleComponent quartz;
    private final List<RoutePolicyFactory> policies = new ArrayList<>();
    private final List<EventNotifier> notifiers = new ArrayList<>();

    /** A session for a run or a plan: {@code quartz:} schedules fire once, at once. */
    RouteSession(List<Path> files, Supplier<MigrationEngine> engine, ProgressListener listener,
            CamelLogging logging) {
        this(files, engine, listener, logging, oneShot());
    }

    /** A session whose {@code quartz:} endpoints come from the given component (serving: real schedules). */
    RouteSession(List<Path> files, Supplier<MigrationEngine> engine, ProgressListener listener,
            CamelLogging logging, ScheduleComponent quartz) {
        this.quartz = quartz;
        this.files = List.copyOf(files);
        this.errors = new RouteErrors(this.files, this::templateIds, this::routeLocation);
        this.logging = logging;
        logging.applyToLoggers();
        this.main = new Main();
        this.tracker = new RunTracker(logging, parameterNames);
        caravan.setEngineSupplier(engine);
        caravan.setProgressListener(listener);
        objects.setEngineSupplier(engine);
        vm.setEngineSupplier(engine);
    }

    /** Loads the files and templates and creates the routes (not started); USER_CONFIG on any problem. */
    void load() {
        List<String> patterns = new ArrayList<>();
        for (Path f : files) {
            patterns.add("file:" + checked(f));
        }
        RouteIds.checkUnique(files);
        RouteIds.checkParametersOnce(files);
        patterns.addAll(TemplateResources.find(TEMPLATES));
        main.configure().withRoutesIncludePattern(String.join(",", patterns)).withAutoStartup(false);
        main.configure().setName("caravan"); // the same on every worker: clustered Quartz jobs refer to it
        if (logging == CamelLogging.QUIET) {
            main.configure().setStartupSummaryLevel(StartupSummaryLevel.Off);
            main.configure().setAutoConfigurationLogSummary(false);
        }
        main.bind("caravan", caravan);
        main.bind("caravan-objects", objects);
        main.bind("caravan-records", records);
        main.bind("caravan-vm", vm);
        quartz.setAutoStartScheduler(false); // started by startRoutes, once the consumers are up
        main.bind("quartz", quartz);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                // before the routes are created: a send step only emits events when a notifier is there already
                notifiers.forEach(m.getCamelContext().getManagementStrategy()::addEventNotifier);
                if (m.getCamelContext() instanceof ModelCamelContext model) {
                    model.addRouteTemplateDefinitionConverter("*", new TemplateParameterCheck(
                            new TemplateLocationKinds(RouteSession.this::templates, RouteSession.this::resolved)));
                }
                if (logging == CamelLogging.QUIET) {
                    quiet(m.getCamelContext()); // before the routes are loaded: they take the default handler then
                }
            }

            @Override
            public void afterConfigure(BaseMainSupport m) {
                m.getCamelContext().addRoutePolicyFactory(tracker);
                policies.forEach(m.getCamelContext()::addRoutePolicyFactory);
            }
        });
        try {
            main.start();
        } catch (Exception e) {
            throw errors.translate(e);
        }
    }

    /**
     * Camel's failure and shutdown logging at DEBUG: the default error handler of routes without one of their own
     * (a route or route configuration that declares an error handler keeps it), and the shutdown strategy.
     */
    private static void quiet(CamelContext context) {
        context.getCamelContextExtension().setErrorHandlerFactory(new DefaultErrorHandlerDefinition()
                .loggingLevel(LoggingLevel.DEBUG).retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                .retryAttemptedLogLevel(LoggingLevel.DEBUG));
        context.getShutdownStrategy().setLoggingLevel(LoggingLevel.DEBUG);
    }

    /** A quartz component whose schedules fire once, at once, on a private in-memory scheduler. */
    private static ScheduleComponent oneShot() {
        ScheduleComponent c = new ScheduleComponent(true);
        c.setPrefixInstanceName(false);
        String id = "run-" + java.util.UUID.randomUUID();
        java.util.Map<String, String> props = new java.util.HashMap<>(QuartzCluster.local(id));
        props.put("org.quartz.scheduler.instanceName", "caravan-" + id); // private: several runs in one JVM
        c.setProperties(props);
        return c;
    }

    /** Adds a route policy factory (before {@link #load}). */
    void addPolicyFactory(RoutePolicyFactory factory) {
        policies.add(factory);
    }

    /** Adds an event notifier (before {@link #load}), e.g. one that watches exchanges sent to an endpoint. */
    void addEventNotifier(EventNotifier notifier) {
        notifiers.add(notifier);
    }

    /** The {@code quartz} component of this session. */
    ScheduleComponent quartz() {
        return quartz;
    }

    /**
     * Starts every route (after {@link RunTracker#classify}), then the Quartz scheduler: a trigger that fired before
     * its route's consumer was up would be lost (camel-quartz drops a fire that finds no consumer).
     */
    void startRoutes() {
        try {
            context().getRouteController().startAllRoutes();
            if (quartz.getScheduler() != null && !quartz.getScheduler().isStarted()) {
                quartz.getScheduler().start();
            }
        } catch (Exception e) {
            throw errors.translate(e);
        }
    }

    private static String checked(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
            throw MigrationException.userConfig(file + ": not a YAML route file (.yaml or .yml expected)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw MigrationException.userConfig(file + ": route file not found or not readable");
        }
        String abs = file.toAbsolutePath().normalize().toString();
        if (abs.contains(",")) {
            throw MigrationException.userConfig(file + ": route file paths must not contain commas");
        }
        return abs;
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    CaravanComponent caravan() {
        return caravan;
    }

    CaravanRecordsComponent records() {
        return records;
    }

    /** Connector options named in a route's failure said as the parameters of its template. */
    TemplateParameterNames parameterNames() {
        return parameterNames;
    }

    RunTracker tracker() {
        return tracker;
    }

    List<RouteTemplateDefinition> templates() {
        return context() instanceof ModelCamelContext model ? model.getRouteTemplateDefinitions() : List.of();
    }

    /** {@code value} with its property placeholders resolved, or {@code null} when one cannot be (said later). */
    private String resolved(String value) {
        try {
            return context().resolvePropertyPlaceholders(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String routeLocation(String routeId) {
        if (context() instanceof ModelCamelContext model) {
            RouteDefinition def = model.getRouteDefinition(routeId);
            if (def != null && def.getResource() != null) {
                return def.getResource().getLocation();
            }
        }
        return null;
    }

    private List<String> templateIds() {
        return templates().stream().map(RouteTemplateDefinition::getId).sorted().toList();
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (RuntimeException e) {
            // stopping after a failed start may fail again; the first failure is what matters
        }
    }
}
