package dev.caravan.camel.records;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Journal;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.camel.migration.CaravanComponent;
import dev.caravan.camel.support.UriOptions;
import dev.caravan.core.records.RecordMigrationEngine;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.records.TablePreview;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.formats.store.ConversionReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;

/**
 * The {@code caravan-records:} component: {@code caravan-records:migrate|plan|verify?source=...&target=...} runs a
 * table or record migration inside one exchange through a {@link RecordMigrationEngine}, and
 * {@code caravan-records:convert} converts record files between formats.
 *
 * <p>The engine's journal is, in order of preference: the one set with {@link #setJournal}, else the journal of the
 * {@code caravan:} component's engine in the same Camel context (so object and record migrations share one
 * journal, and a runtime that gives {@code caravan:} its engine gives it to this component too). Connectors are
 * those set with {@link #setRegistry}, else those of the {@code caravan:} component, plus the {@code files} record
 * connector ({@link FilesRecordProvider}). Endpoint options are checked when the endpoint is created: an unknown
 * option, a malformed value, an unknown connector or a connector option it does not declare fails the route at
 * startup with a message that lists what is valid.
 */
@Component("caravan-records")
public class CaravanRecordsComponent extends DefaultComponent {
    private static final UriOptions OPTIONS = UriOptions.of("caravan-records:", RecordsEndpoint.class, true);

    @Metadata(label = "advanced", autowired = true, description = "The journal of record migrations")
    private Journal journal;
    @Metadata(label = "advanced", description = "Connectors to use; default: those of the caravan: component")
    private ConnectorRegistry registry;

    private ConnectorRegistry withFiles;
    private RecordMigrationEngine engine;
    private final List<RecordsListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RecordsOperation operation = RecordsOperation.parse(remaining);
        RecordsConfiguration config = new RecordsConfiguration();
        config.setMappingOptions(PropertiesHelper.extractProperties(parameters, "mapping."));
        config.setSourceFormatOptions(PropertiesHelper.extractProperties(parameters, "sourceFormat."));
        config.setTargetFormatOptions(PropertiesHelper.extractProperties(parameters, "targetFormat."));
        config.setSourceOptions(PropertiesHelper.extractProperties(parameters, "source."));
        config.setTargetOptions(PropertiesHelper.extractProperties(parameters, "target."));
        setProperties(config, parameters);
        RecordSpecFactory.validate(operation, config, registry());
        return new RecordsEndpoint(uri, this, operation, config);
    }

    @Override
    protected void validateParameters(String uri, Map<String, Object> parameters, String optionPrefix) {
        if (parameters != null && !parameters.isEmpty()) {
            throw OPTIONS.unknown(parameters.keySet());
        }
    }

    /** The endpoint options of {@code caravan-records:}, as the error for an unknown option lists them. */
    public static List<String> optionNames() {
        return OPTIONS.names();
    }

    /** The connectors, the {@code files} record connector included. */
    public synchronized ConnectorRegistry registry() {
        if (withFiles == null) {
            ConnectorRegistry base = registry != null ? registry : caravan().registry();
            List<ConnectorProvider> all = new ArrayList<>(base.all());
            if (base.find(FilesRecordProvider.SCHEME).isEmpty()) {
                all.add(new FilesRecordProvider(() -> base));
            }
            withFiles = ConnectorRegistry.of(all.toArray(ConnectorProvider[]::new));
        }
        return withFiles;
    }

    /** The record engine, opened on first use (see the class comment for its journal). */
    public synchronized RecordMigrationEngine engine() {
        if (engine == null) {
            engine = new RecordMigrationEngine(registry(), journal());
        }
        return engine;
    }

    private Journal journal() {
        if (journal != null) {
            return journal;
        }
        Object queries = caravan().engine().journal();
        if (queries instanceof Journal j) {
            return j;
        }
        throw MigrationException.userConfig("the caravan: component's engine has no writable journal; set one on the"
                + " caravan-records component (setJournal)");
    }

    private CaravanComponent caravan() {
        if (getCamelContext() == null) {
            throw new IllegalStateException("caravan-records: is not added to a CamelContext; set registry and journal");
        }
        return getCamelContext().getComponent("caravan", CaravanComponent.class);
    }

    public void addListener(RecordsListener listener) {
        listeners.add(listener);
    }

    public void removeListener(RecordsListener listener) {
        listeners.remove(listener);
    }

    void fireRun(TableMigrationSpec spec, RecordMigrationResult result) {
        listeners.forEach(l -> l.onRun(spec, result));
    }

    void firePlan(TableMigrationSpec spec, List<TablePreview> previews) {
        listeners.forEach(l -> l.onPlan(spec, previews));
    }

    void fireVerify(TableMigrationSpec spec, VerificationReport report) {
        listeners.forEach(l -> l.onVerify(spec, report));
    }

    void fireConvert(RecordsRequest.Conversion conversion, ConversionReport report) {
        listeners.forEach(l -> l.onConvert(conversion, report));
    }

    public Journal getJournal() {
        return journal;
    }

    /** The journal of record migrations; the component never closes it. */
    public synchronized void setJournal(Journal journal) {
        this.journal = journal;
        this.engine = null;
    }

    public ConnectorRegistry getRegistry() {
        return registry;
    }

    /** The connectors (the {@code files} record connector is added); default: those of {@code caravan:}. */
    public synchronized void setRegistry(ConnectorRegistry registry) {
        this.registry = registry;
        this.withFiles = null;
        this.engine = null;
    }
}
