package dev.caravan.camel.objects;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.camel.support.OptionValues;
import dev.caravan.camel.support.StoreLocations;
import dev.caravan.core.engine.ObjectCopier;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.verify.VerifyMode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * A {@code caravan-objects:<scheme>:<location>} endpoint: an object store opened through its connector. Options
 * the endpoint does not declare (and those prefixed {@code store.}) are connector options, validated against the
 * connector's declarations when the endpoint is created. The store is opened when the endpoint starts; target
 * stores of copy/verify, and the copier of each (core's {@link ObjectCopier}, the one copy pipeline of Caravan),
 * are made on first use and closed with the endpoint.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "caravan-objects", title = "Caravan objects",
             syntax = "caravan-objects:store", category = { Category.FILE, Category.CLOUD },
             headersClass = ObjectsConstants.class)
public class CaravanObjectsEndpoint extends ScheduledPollEndpoint {

    @UriPath(description = "The store as scheme:location, e.g. local:/data")
    @Metadata(required = true)
    private final String store;
    @UriParam(label = "producer", enums = "stat,get,put,copy,delete,verify", defaultValue = "stat",
              description = "Producer operation; the CamelCaravanObjectsOperation header overrides it")
    private String operation = "stat";
    @UriParam(label = "producer", description = "Key of the object; the CamelCaravanObjectKey header overrides it")
    private String key;
    @UriParam(description = "Target store as scheme:location: the consumer diffs against it, copy and verify write"
                            + " to or read from it (the CamelCaravanTargetStore header overrides it)")
    private String target;
    @UriParam(label = "producer", description = "Key in the target store; default the source key")
    private String targetKey;
    @UriParam(label = "producer", enums = "none,size,sha256", defaultValue = "sha256",
              description = "How copy and put verify what they wrote before it is published")
    private String verify;
    @UriParam(label = "producer", defaultValue = "5",
              description = "Attempts after the first for a part of a multipart copy that fails with a transient"
                            + " error (retries of a whole exchange are Camel's redelivery)")
    private int retries = 5;
    @UriParam(label = "consumer", description = "Stop after one pass over the store")
    private boolean once;
    @UriParam(label = "consumer", enums = "copy,sync", defaultValue = "copy",
              description = "copy: emit COPY and REPLACE; sync: also DELETE for target objects missing from the"
                            + " source")
    private String mode;
    @UriParam(label = "consumer", enums = "size-mtime,size,checksum", defaultValue = "size-mtime",
              description = "How the consumer decides that a target object is up to date")
    private String compare;
    @UriParam(label = "consumer", description = "Comma-separated globs of keys to include; empty for all")
    private String include;
    @UriParam(label = "consumer", description = "Comma-separated globs of keys to exclude")
    private String exclude;
    @UriParam(label = "consumer", description = "List only keys starting with this prefix")
    private String prefix;
    @UriParam(label = "consumer", description = "Keep each pass in the engine's journal: a run per pass, a task per"
                                                + " object, completed or failed with its exchange; a restarted route"
                                                + " skips the tasks an unfinished run already did. Default: true"
                                                + " when the component has a MigrationEngine")
    private Boolean journal;
    @UriParam(prefix = "store.", multiValue = true, description = "Connector options of the store (the prefix may"
                                                                  + " be left out)")
    private Map<String, Object> storeOptions;
    @UriParam(prefix = "target.", multiValue = true, description = "Connector options of the target store")
    private Map<String, Object> targetOptions;

    private final ConnectorRegistry registry;
    private final Map<String, ObjectStore> targets = new ConcurrentHashMap<>();
    private final Map<String, ObjectCopier> copiers = new ConcurrentHashMap<>();
    private volatile ObjectStore opened;

    CaravanObjectsEndpoint(String uri, CaravanObjectsComponent component, String store, ConnectorRegistry registry) {
        super(uri, component);
        this.store = store;
        this.registry = registry;
    }

    @Override
    public CaravanObjectsComponent getComponent() {
        return (CaravanObjectsComponent) super.getComponent();
    }

    /** Checks every option value; called once the options are bound. */
    void validate() {
        ObjectsOperation.parse(operation);
        StoreLocations.check("store", store, OptionValues.textMap(storeOptions), registry);
        StoreLocations.check("target", OptionValues.text(target), OptionValues.textMap(targetOptions),
                registry);
        if (consumerMode() == Mode.MOVE) {
            throw MigrationException.userConfig("option 'mode': the caravan-objects consumer emits copy and sync"
                    + " actions only (copy, sync); for move use caravan:migrate?mode=move");
        }
        consumerCompare();
        verifyMode();
        if (retries < 0) {
            throw MigrationException.userConfig("option 'retries' must not be negative, got " + retries);
        }
        filters().matcher(Instant.now());
    }

    @Override
    public Producer createProducer() {
        return new ObjectsProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ObjectsConsumer consumer = new ObjectsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    protected void doConfigureConsumer(Consumer consumer) {
        super.doConfigureConsumer(consumer);
        if (once && consumer instanceof ScheduledPollConsumer spc) {
            spc.setRepeatCount(1);
            if (getInitialDelay() < 0) {
                spc.setInitialDelay(0);
            }
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        opened = registry.openStore(store, OptionValues.textMap(storeOptions));
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        ObjectStore s = opened;
        opened = null;
        copiers.values().forEach(ObjectCopier::close);
        copiers.clear();
        if (s != null) {
            s.close();
        }
        targets.values().forEach(ObjectStore::close);
        targets.clear();
    }

    /** The opened store; fails when the endpoint is not started. */
    public ObjectStore store() {
        ObjectStore s = opened;
        if (s == null) {
            throw new IllegalStateException("endpoint " + getEndpointUri() + " is not started");
        }
        return s;
    }

    /** A target store (scheme:location) with this endpoint's target options, opened once and kept until stop. */
    public ObjectStore targetStore(String location) {
        return targets.computeIfAbsent(location, loc -> {
            StoreLocations.check("target", loc, OptionValues.textMap(targetOptions), registry);
            return registry.openStore(loc, OptionValues.textMap(targetOptions));
        });
    }

    /**
     * The copier from this endpoint's store to a target store (scheme:location), made once and kept until stop;
     * it verifies as the {@code verify} option says and shares the component's bandwidth limit.
     */
    public ObjectCopier copier(String targetLocation) {
        return copiers.computeIfAbsent(targetLocation, loc -> new ObjectCopier(store(), targetStore(loc),
                verifyMode(), getComponent().bandwidth(), retries));
    }

    /** The journal the consumer keeps its passes in, or empty (see the {@code journal} option). */
    Optional<JdbcJournal> consumerJournal() {
        if (Boolean.FALSE.equals(journal)) {
            return Optional.empty();
        }
        Optional<JdbcJournal> j = getComponent().journal();
        if (j.isEmpty() && Boolean.TRUE.equals(journal)) {
            throw MigrationException.userConfig("option 'journal=true' of " + getEndpointUri() + " needs a"
                    + " MigrationEngine: bind one in the Camel registry or set it on the caravan-objects component"
                    + " (or leave journal unset)");
        }
        return j;
    }

    /** The migration a consumer pass plans: this endpoint's mode, filters and compare, between two locations. */
    MigrationSpec consumerSpec(String source, String target, String name) {
        return MigrationSpec.builder(source, target).name(name).mode(consumerMode()).filters(filters())
                .compare(consumerCompare()).verify(verifyMode()).build();
    }

    Filters filters() {
        return new Filters(OptionValues.globs(include), OptionValues.globs(exclude), -1, -1, null, null);
    }

    Mode consumerMode() {
        return OptionValues.enumValue("mode", mode, Mode.class, Mode.COPY);
    }

    Compare consumerCompare() {
        return OptionValues.enumValue("compare", compare, Compare.class, Compare.SIZE_MTIME);
    }

    VerifyMode verifyMode() {
        return OptionValues.enumValue("verify", verify, VerifyMode.class, VerifyMode.SHA256);
    }

    /** The store location as scheme:location. */
    public String getStore() {
        return store;
    }

    public String getOperation() {
        return operation;
    }

    /** Producer operation: stat, get, put, copy, delete or verify. */
    public void setOperation(String operation) {
        this.operation = operation;
    }

    public String getKey() {
        return key;
    }

    /** Key of the object; the CamelCaravanObjectKey header overrides it. */
    public void setKey(String key) {
        this.key = key;
    }

    public String getTarget() {
        return target;
    }

    /** Target store as scheme:location (consumer diff, copy and verify). */
    public void setTarget(String target) {
        this.target = target;
    }

    public String getTargetKey() {
        return targetKey;
    }

    /** Key in the target store; default the source key. */
    public void setTargetKey(String targetKey) {
        this.targetKey = targetKey;
    }

    public String getVerify() {
        return verify;
    }

    /** none, size or sha256 (default): how copy and put verify what they wrote. */
    public void setVerify(String verify) {
        this.verify = verify;
    }

    public boolean isOnce() {
        return once;
    }

    /** Stop after one pass over the store (the first poll starts at once unless initialDelay is set). */
    public void setOnce(boolean once) {
        this.once = once;
    }

    public String getMode() {
        return mode;
    }

    /** copy (default) or sync: whether the consumer also emits DELETE for extra target objects. */
    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getCompare() {
        return compare;
    }

    /** size-mtime (default), size or checksum. */
    public void setCompare(String compare) {
        this.compare = compare;
    }

    public String getInclude() {
        return include;
    }

    /** Comma-separated globs of keys to include. */
    public void setInclude(String include) {
        this.include = include;
    }

    public String getExclude() {
        return exclude;
    }

    /** Comma-separated globs of keys to exclude. */
    public void setExclude(String exclude) {
        this.exclude = exclude;
    }

    public String getPrefix() {
        return prefix;
    }

    /** List only keys starting with this prefix. */
    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public int getRetries() {
        return retries;
    }

    /** Attempts after the first for a failed part of a multipart copy (transient errors only); default 5. */
    public void setRetries(int retries) {
        this.retries = retries;
    }

    public Boolean getJournal() {
        return journal;
    }

    /** Whether the consumer keeps its passes in the engine's journal; default: when there is an engine. */
    public void setJournal(Boolean journal) {
        this.journal = journal;
    }

    public Map<String, Object> getStoreOptions() {
        return storeOptions;
    }

    /** Connector options of the store. */
    public void setStoreOptions(Map<String, Object> storeOptions) {
        this.storeOptions = storeOptions;
    }

    public Map<String, Object> getTargetOptions() {
        return targetOptions;
    }

    /** Connector options of the target store. */
    public void setTargetOptions(Map<String, Object> targetOptions) {
        this.targetOptions = targetOptions;
    }
}
