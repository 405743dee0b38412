package dev.caravan.camel.vm;

import dev.caravan.camel.support.InputHeaders;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.StorageMoveOptions;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import dev.caravan.camel.support.OptionValues;
import dev.caravan.core.vm.ColdMigration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * One exchange as seen by a VM operation. Header-over-option precedence lives here: every value is the header
 * {@code CamelCaravanVm<Option>} when set and not blank, else the endpoint option, else the documented default. The
 * hypervisor connections it hands out are the component's shared ones, leased for this exchange; the producer
 * closes the request when the operation returns.
 */
public final class VmRequest implements AutoCloseable {
    private final CaravanVmEndpoint endpoint;
    private final Exchange exchange;
    private final VmSettings settings;
    private final List<HostConnections.Lease> leases = new ArrayList<>();

    VmRequest(CaravanVmEndpoint endpoint, Exchange exchange) {
        this.endpoint = endpoint;
        this.exchange = exchange;
        this.settings = new VmSettings(this::raw);
    }

    private String raw(String option) {
        String header = OptionValues.text(InputHeaders.get(message(), VmConstants.headerOf(option)));
        return header != null ? header : endpoint.getConfiguration().get(option);
    }

    public Message message() {
        return exchange.getMessage();
    }

    /** An option's value (header first), or {@code null} when unset or blank. */
    public String text(String option) {
        return settings.text(option);
    }

    /**
     * The domain: header {@code CamelCaravanVmDomain}, option {@code domain}, else the name of a {@link VmRef},
     * {@link VmDescription} or {@link MigrationResult} body, or a String body.
     */
    public String domain() {
        String name = text("domain");
        if (name == null) {
            Object body = message().getBody();
            if (body instanceof VmRef ref) {
                name = ref.name();
            } else if (body instanceof VmDescription d) {
                name = d.name();
            } else if (body instanceof MigrationResult r) {
                name = r.name();
            } else if (body instanceof String s) {
                name = OptionValues.text(s);
            }
        }
        if (name == null) {
            throw MigrationException.userConfig("no domain: set the option domain, the header " + VmConstants.DOMAIN
                    + ", or send a VmRef or the domain name as the body to " + endpoint.getEndpointUri());
        }
        return name;
    }

    /** The source hypervisor as scheme:location (required). */
    public String sourceLocation() {
        return required("source");
    }

    /** The target hypervisor as scheme:location (required). */
    public String targetLocation() {
        return required("target");
    }

    private String required(String option) {
        String v = text(option);
        if (v == null) {
            throw MigrationException.userConfig("no " + option + " hypervisor: set the option " + option
                    + " (e.g. " + option + "=RAW(libvirt:qemu+ssh://root@host/system)) or the header "
                    + VmConstants.headerOf(option) + " on " + endpoint.getEndpointUri());
        }
        return v;
    }

    /** The source hypervisor, connected with the {@code source.*} options. */
    public Hypervisor source() {
        return open("source", sourceLocation(), endpoint.getConfiguration().sourceOptions());
    }

    /** The target hypervisor, connected with the {@code target.*} options. */
    public Hypervisor target() {
        return open("target", targetLocation(), endpoint.getConfiguration().targetOptions());
    }

    private Hypervisor open(String role, String location, Map<String, Object> options) {
        Map<String, String> text = CaravanVmComponent.connectorOptions(options);
        HostConnections.Lease lease = endpoint.getComponent().connections().acquire(location, text,
                () -> endpoint.getComponent().openHypervisor(role, location, text));
        leases.add(lease);
        return lease.hypervisor();
    }

    /** The kind of move a preflight checks. */
    public MigrationKind kind() {
        return settings.kind();
    }

    /** The states list keeps; empty for all. */
    public Set<VmState> states() {
        return settings.states();
    }

    /** Whether list keeps a domain, by name ({@code include} / {@code exclude} globs). */
    public Predicate<String> names() {
        return settings.names();
    }

    /** Live migration options (also what a preflight uses for bandwidth and sharing). */
    public LiveMigrationOptions live() {
        return settings.live();
    }

    /** Cold migration options. */
    public ColdMigrationOptions cold() {
        return settings.cold();
    }

    /** Storage move options for a disk. */
    public StorageMoveOptions storage(String disk) {
        return settings.storage(disk);
    }

    /** Starts the journal of one move, or a journal that records nothing when {@code journal=false}. */
    public VmJournal journal(MigrationKind kind, String domain, String source, String target, long size) {
        if (!settings.journal()) {
            return VmJournal.none();
        }
        return VmJournal.start(endpoint.getComponent().journal(), kind, domain, source, target, size);
    }

    /** Cold migration through the component's engine. */
    public ColdMigration coldMigration() {
        return new ColdMigration(endpoint.getComponent().engine());
    }

    /** Tells the component's listeners about progress; a failing listener never stops a move. */
    public void progress(String domain, JobProgress p) {
        endpoint.getComponent().fireProgress(domain, p);
    }

    /** Tells the component's listeners about a finished move. */
    public void result(MigrationResult r) {
        endpoint.getComponent().fireResult(r);
    }

    /** The operation failed: a transient error retires the connections it used. */
    void failed(MigrationException e) {
        if (e.kind() == ErrorKind.TRANSIENT) {
            leases.forEach(HostConnections.Lease::broken);
        }
    }

    @Override
    public void close() {
        leases.forEach(HostConnections.Lease::close);
        leases.clear();
    }
}
