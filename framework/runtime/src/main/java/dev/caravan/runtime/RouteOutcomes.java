package dev.caravan.runtime;

import dev.caravan.camel.support.InputHeaders;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.camel.records.RecordsListener;
import dev.caravan.camel.records.RecordsRequest;
import dev.caravan.camel.support.BadInput;
import dev.caravan.camel.vm.CaravanVmEndpoint;
import dev.caravan.camel.vm.VmConstants;
import dev.caravan.camel.vm.VmOperation;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.records.TableResult;
import dev.caravan.formats.store.ConversionReport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Collects what the {@code caravan-records:} and {@code caravan-vm:} endpoints of a run did, for
 * {@link RoutesRun}. Record outcomes come from the component's {@link RecordsListener} (a migration that ended,
 * complete or not; a verification; a conversion). VM moves come from the exchange that was sent to a
 * {@code caravan-vm:} move endpoint ({@link ExchangeSentEvent}): its body is the {@code MigrationResult} of a
 * finished move, its exception says why a move was refused or failed, and the endpoint and headers name the
 * source, which the VM listener's result does not carry. Thread-safe.
 */
final class RouteOutcomes extends EventNotifierSupport implements RecordsListener {
    private static final Map<VmOperation, MigrationKind> MOVES = Map.of(VmOperation.MIGRATE_LIVE, MigrationKind.LIVE,
            VmOperation.MIGRATE_COLD, MigrationKind.COLD, VmOperation.MOVE_STORAGE, MigrationKind.STORAGE);

    private final List<RecordRun> records = new CopyOnWriteArrayList<>();
    private final List<VmRun> vms = new CopyOnWriteArrayList<>();

    RouteOutcomes() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
    }

    List<RecordRun> records() {
        return List.copyOf(records);
    }

    List<VmRun> vms() {
        return List.copyOf(vms);
    }

    @Override
    public void onRun(TableMigrationSpec spec, RecordMigrationResult r) {
        List<RecordRun.Item> items = r.tables().stream().map(RouteOutcomes::item).toList();
        VerificationReport verified = spec.verify() == TableMigrationSpec.Verify.NONE ? null : r.verification();
        records.add(new RecordRun(spec.name(), "migrate", Uris.masked(spec.source()), Uris.masked(spec.target()),
                r.runId(), r.outcome(), items, verified, r.duration(), r.errors()));
    }

    private static RecordRun.Item item(TableResult t) {
        return new RecordRun.Item(t.table(), t.rows() + t.rejected(), t.rows(), t.rejected(), t.skipped(),
                t.keptTable(), t.keptRows());
    }

    @Override
    public void onVerify(TableMigrationSpec spec, VerificationReport report) {
        records.add(new RecordRun(spec.name(), "verify", Uris.masked(spec.source()), Uris.masked(spec.target()),
                null, report.clean() ? RunOutcome.COMPLETE : RunOutcome.VERIFICATION_FAILED, List.of(), report,
                null, List.of()));
    }

    @Override
    public void onConvert(RecordsRequest.Conversion c, ConversionReport report) {
        String files = report.objects() + (report.objects() == 1 ? " object" : " objects") + " -> "
                + report.files().size() + (report.files().size() == 1 ? " part" : " parts");
        // a record that cannot be decoded is rejected without being counted in recordsIn: every record read is
        // either written or rejected
        RecordRun.Item item = new RecordRun.Item(files, report.recordsOut() + report.rejected(), report.recordsOut(),
                report.rejected());
        VerificationReport verified = report.verification();
        records.add(new RecordRun(c.name(), "convert", Uris.masked(c.source()), Uris.masked(c.target()), null,
                verified == null || verified.clean() ? RunOutcome.COMPLETE : RunOutcome.VERIFICATION_FAILED,
                List.of(item), verified, report.elapsed(),
                report.firstRejects().stream().map(Object::toString).toList()));
    }

    /**
     * The sending and sent events of {@code caravan-vm:} endpoints: Camel emits the sent event only when a notifier
     * took the sending one.
     */
    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSendingEvent sending && sending.getEndpoint() instanceof CaravanVmEndpoint
                || event instanceof ExchangeSentEvent sent && sent.getEndpoint() instanceof CaravanVmEndpoint;
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof ExchangeSentEvent sent)) {
            return;
        }
        CaravanVmEndpoint endpoint = (CaravanVmEndpoint) sent.getEndpoint();
        Exchange exchange = sent.getExchange();
        VmOperation operation = operation(endpoint, exchange);
        MigrationKind kind = operation == null ? null : MOVES.get(operation);
        if (kind == null) {
            return; // describe, list, preflight, abort: nothing moved
        }
        String source = Uris.masked(option(endpoint, exchange, "source"));
        Object body = exchange.getMessage().getBody();
        if (exchange.getException() == null && body instanceof MigrationResult r) {
            String named = destination(endpoint, exchange, kind);
            String target = named != null ? named : r.target(); // as the route names it (with its scheme)
            vms.add(new VmRun(r.kind(), r.name(), source, Uris.masked(target), VmRun.Status.COMPLETE, r.wall(),
                    r.downtime(), r.iterations(), r.bytes(), r.details().get("note")));
            return;
        }
        Throwable e = exchange.getException();
        String target = destination(endpoint, exchange, kind);
        VmRun.Status status = BadInput.failedWith(exchange) ? VmRun.Status.REFUSED : VmRun.Status.FAILED;
        vms.add(new VmRun(kind, option(endpoint, exchange, "domain"), source, Uris.masked(target), status, null,
                null, 0, 0, e == null ? "failed" : message(e)));
    }

    private static VmOperation operation(CaravanVmEndpoint endpoint, Exchange exchange) {
        String override = InputHeaders.get(exchange.getMessage(), VmConstants.OPERATION, String.class);
        if (override == null || override.isBlank()) {
            return endpoint.getOperation();
        }
        try {
            return VmOperation.parse(override);
        } catch (MigrationException e) {
            return null; // the producer refused it; the failure is in the run's errors
        }
    }

    /** Where the move goes as the route names it: the target hypervisor, or a storage move's path or pool. */
    private static String destination(CaravanVmEndpoint endpoint, Exchange exchange, MigrationKind kind) {
        if (kind != MigrationKind.STORAGE) {
            return option(endpoint, exchange, "target");
        }
        String path = option(endpoint, exchange, "destinationPath");
        String pool = option(endpoint, exchange, "destinationPool");
        return path != null ? path : pool != null ? "pool " + pool : null;
    }

    /** The header {@code CamelCaravanVm<Option>} when set, else the endpoint option; {@code null} when blank. */
    private static String option(CaravanVmEndpoint endpoint, Exchange exchange, String option) {
        String header = InputHeaders.get(exchange.getMessage(), VmConstants.headerOf(option), String.class);
        String v = header != null && !header.isBlank() ? header : endpoint.getConfiguration().get(option);
        return v == null || v.isBlank() ? null : v;
    }

    private static String message(Throwable e) {
        MigrationException m = RouteErrors.find(e, MigrationException.class);
        Throwable t = m != null ? m : e;
        return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    }
}
