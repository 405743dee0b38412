package dev.caravan.runtime;

import dev.caravan.api.error.MigrationException;
import dev.caravan.camel.migration.CaravanComponent;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;

/**
 * One camel-main instance with the given YAML route files and every route template on the class path under
 * {@code caravan/routes/} (see {@link TemplateResources}), loaded with routes created but not started, so that the caller decides whether to plan
 * them (inspect their endpoints) or start them.
 */
final class RouteSession implements AutoCloseable {
    /** Where the route templates of the caravan-routes module (and any other jar) live on the class path. */
    static final String TEMPLATES = "caravan/routes";

    private final Main main = new Main();
    private final CaravanComponent caravan = new CaravanComponent();
    private final RunTracker tracker = new RunTracker();
    private final List<Path> files;
    private final RouteErrors errors;

    RouteSession(List<Path> files, Supplier<MigrationEngine> engine, ProgressListener listener) {
        this.files = List.copyOf(files);
        this.errors = new RouteErrors(this.files, this::templateIds, this::routeLocation);
        caravan.setEngineSupplier(engine);
        caravan.setProgressListener(listener);
    }

    /** Loads the files and templates and creates the routes (not started); USER_CONFIG on any problem. */
    void load() {
        List<String> patterns = new ArrayList<>();
        for (Path f : files) {
            patterns.add("file:" + checked(f));
        }
        patterns.addAll(TemplateResources.find(TEMPLATES));
        main.configure().withRoutesIncludePattern(String.join(",", patterns)).withAutoStartup(false);
        main.configure().setStartupSummaryLevel(StartupSummaryLevel.Off);
        main.bind("caravan", caravan);
        main.addMainListener(new MainListenerSupport() {
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
