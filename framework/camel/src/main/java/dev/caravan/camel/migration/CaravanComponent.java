package dev.caravan.camel.migration;

import dev.caravan.camel.support.UriOptions;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;

/**
 * The {@code caravan:} component: {@code caravan:migrate|plan|verify?source=...&target=...} runs a whole object
 * migration inside one exchange through a {@link MigrationEngine}.
 *
 * <p>The engine is, in order of preference: the one set with {@link #setEngine}, the one given by
 * {@link #setEngineSupplier}, the single {@code MigrationEngine} bean of the Camel registry, or one the component
 * opens itself (with {@link #setJournalUrl journalUrl} and {@link #setHome home}) on first use and closes when
 * it stops. Endpoint options are checked when the endpoint is created: an unknown option, a malformed value or an
 * unknown connector fails the route at startup with a message that lists what is valid.
 */
@Component("caravan")
public class CaravanComponent extends DefaultComponent {
    private static final UriOptions OPTIONS = UriOptions.of("caravan:", CaravanEndpoint.class, true);

    @Metadata(label = "advanced", autowired = true, description = "The engine that runs the migrations")
    private MigrationEngine engine;
    @Metadata(description = "JDBC URL of the journal; default embedded H2 under home (or CARAVAN_JOURNAL_URL)")
    private String journalUrl;
    @Metadata(description = "Caravan's working directory; default CARAVAN_HOME or ~/.caravan")
    private String home;
    @Metadata(label = "advanced", description = "Connectors to use; default every connector on the class path")
    private ConnectorRegistry registry;
    @Metadata(label = "advanced", description = "Receives progress snapshots of running migrations")
    private ProgressListener progressListener = ProgressListener.NONE;

    private Supplier<MigrationEngine> engineSupplier;
    private boolean ownsEngine;
    private final List<MigrationListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        CaravanOperation operation = CaravanOperation.parse(remaining);
        MigrationConfiguration config = new MigrationConfiguration();
        config.setSourceOptions(PropertiesHelper.extractProperties(parameters, "source."));
        config.setTargetOptions(PropertiesHelper.extractProperties(parameters, "target."));
        config.setBackupOptions(PropertiesHelper.extractProperties(parameters, "backup."));
        setProperties(config, parameters);
        MigrationSpecFactory.validate(config, registry());
        return new CaravanEndpoint(uri, this, operation, config);
    }

    @Override
    protected void validateParameters(String uri, Map<String, Object> parameters, String optionPrefix) {
        if (parameters != null && !parameters.isEmpty()) {
            throw OPTIONS.unknown(parameters.keySet());
        }
    }

    /** The endpoint options of {@code caravan:}, as the error for an unknown option lists them. */
    public static List<String> optionNames() {
        return OPTIONS.names();
    }

    /** The engine (see the class comment for where it comes from); opened on first use. */
    public synchronized MigrationEngine engine() {
        if (engine == null && engineSupplier != null) {
            engine = engineSupplier.get();
        }
        if (engine == null && getCamelContext() != null) {
            engine = getCamelContext().getRegistry().findSingleByType(MigrationEngine.class);
        }
        if (engine == null) {
            EngineSettings settings = EngineSettings.defaults();
            if (home != null && !home.isBlank()) {
                settings = settings.withHome(Path.of(home));
            }
            if (journalUrl != null && !journalUrl.isBlank()) {
                settings = settings.withJournalUrl(journalUrl);
            }
            engine = MigrationEngine.open(settings);
            ownsEngine = true;
        }
        return engine;
    }

    /** The connectors endpoints are validated against. */
    public synchronized ConnectorRegistry registry() {
        if (registry == null) {
            registry = ConnectorRegistry.load();
        }
        return registry;
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        MigrationEngine owned = null;
        synchronized (this) {
            if (ownsEngine) {
                owned = engine;
                engine = null;
                ownsEngine = false;
            }
        }
        if (owned != null) {
            owned.close();
        }
    }

    public void addListener(MigrationListener listener) {
        listeners.add(listener);
    }

    public void removeListener(MigrationListener listener) {
        listeners.remove(listener);
    }

    void fireRun(RunResult result) {
        listeners.forEach(l -> l.onRun(result));
    }

    void firePlan(PlanResult result) {
        listeners.forEach(l -> l.onPlan(result));
    }

    void fireVerify(dev.caravan.core.plan.MigrationSpec spec, dev.caravan.api.verify.VerificationReport report) {
        listeners.forEach(l -> l.onVerify(spec, report));
    }

    public MigrationEngine getEngine() {
        return engine;
    }

    /** The engine to use; the component never closes an engine it was given. */
    public synchronized void setEngine(MigrationEngine engine) {
        this.engine = engine;
        this.ownsEngine = false;
    }

    /** Supplies the engine on first use (for embedders that open it lazily); never closed by the component. */
    public void setEngineSupplier(Supplier<MigrationEngine> engineSupplier) {
        this.engineSupplier = engineSupplier;
    }

    public String getJournalUrl() {
        return journalUrl;
    }

    /** JDBC URL of the journal when the component opens its own engine. */
    public void setJournalUrl(String journalUrl) {
        this.journalUrl = journalUrl;
    }

    public String getHome() {
        return home;
    }

    /** Caravan's working directory when the component opens its own engine. */
    public void setHome(String home) {
        this.home = home;
    }

    public ConnectorRegistry getRegistry() {
        return registry;
    }

    /** The connectors to validate endpoints against; default: every connector on the class path. */
    public synchronized void setRegistry(ConnectorRegistry registry) {
        this.registry = registry;
    }

    public ProgressListener getProgressListener() {
        return progressListener;
    }

    /** Receives progress snapshots of every run started by this component. */
    public void setProgressListener(ProgressListener progressListener) {
        this.progressListener = progressListener == null ? ProgressListener.NONE : progressListener;
    }
}
