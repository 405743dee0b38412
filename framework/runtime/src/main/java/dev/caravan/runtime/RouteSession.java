package dev.caravan.runtime;

import dev.caravan.api.error.MigrationException;
import dev.caravan.camel.migration.CaravanComponent;
import dev.caravan.camel.objects.CaravanObjectsComponent;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
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

/**
 * One camel-main instance with the given YAML route files and every route template on the class path under
 * {@code caravan/routes/} (see {@link TemplateResources}), loaded with routes created but not started, so that the
 * caller decides whether to plan them (inspect their endpoints) or start them. The {@code caravan:} and
 * {@code caravan-objects:} components share the runtime's engine (journal and bandwidth limit).
 */
final class RouteSession implements AutoCloseable {
    /** Where the route templates of the caravan-routes module (and any other jar) live on the class path. */
    static final String TEMPLATES = "caravan/routes";

    private final Main main;
    private final CaravanComponent caravan = new CaravanComponent();
    private final CaravanObjectsComponent objects = new CaravanObjectsComponent();
    private final RunTracker tracker;
    private final CamelLogging logging;
    private final List<Path> files;
    private final RouteErrors errors;

    RouteSession(List<Path> files, Supplier<MigrationEngine> engine, ProgressListener listener,
            CamelLogging logging) {
        this.files = List.copyOf(files);
        this.errors = new RouteErrors(this.files, this::templateIds, this::routeLocation);
        this.logging = logging;
        logging.applyToLoggers();
        this.main = new Main();
        this.tracker = new RunTracker(logging);
        caravan.setEngineSupplier(engine);
        caravan.setProgressListener(listener);
        objects.setEngineSupplier(engine);
    }

    /** Loads the files and templates and creates the routes (not started); USER_CONFIG on any problem. */
    void load() {
        List<String> patterns = new ArrayList<>();
        for (Path f : files) {
            patterns.add("file:" + checked(f));
        }
        patterns.addAll(TemplateResources.find(TEMPLATES));
        main.configure().withRoutesIncludePattern(String.join(",", patterns)).withAutoStartup(false);
        if (logging == CamelLogging.QUIET) {
            main.configure().setStartupSummaryLevel(StartupSummaryLevel.Off);
            main.configure().setAutoConfigurationLogSummary(false);
        }
        main.bind("caravan", caravan);
        main.bind("caravan-objects", objects);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                if (logging == CamelLogging.QUIET) {
                    quiet(m.getCamelContext()); // before the routes are loaded: they take the default handler then
                }
            }

            @Override
            public void afterConfigure(BaseMainSupport m) {
                m.getCamelContext().addRoutePolicyFactory(tracker);
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

    /** Starts every route (after {@link RunTracker#classify}). */
    void startRoutes() {
        try {
            context().getRouteController().startAllRoutes();
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

    RunTracker tracker() {
        return tracker;
    }

    List<RouteTemplateDefinition> templates() {
        return context() instanceof ModelCamelContext model ? model.getRouteTemplateDefinitions() : List.of();
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
