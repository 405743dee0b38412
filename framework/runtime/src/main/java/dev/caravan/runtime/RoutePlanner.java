package dev.caravan.runtime;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.camel.records.RecordsEndpoint;
import dev.caravan.camel.records.RecordsOperation;
import dev.caravan.camel.records.RecordsRequest;
import dev.caravan.camel.records.operations.ConvertRecords;
import dev.caravan.camel.support.BadInput;
import dev.caravan.camel.vm.CaravanVmEndpoint;
import dev.caravan.camel.vm.VmConstants;
import dev.caravan.camel.vm.VmOperation;
import dev.caravan.core.records.TablePreview;
import dev.caravan.formats.TextValues;
import dev.caravan.formats.Values;
import dev.caravan.formats.store.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Plans the {@code caravan-records:} and {@code caravan-vm:} endpoints of loaded (not started) routes for
 * {@code caravan plan}. Records: the engine's dry run ({@code RecordMigrationEngine.plan}) or a conversion's
 * {@code sample}, which read the source and write nothing. VMs: the endpoint itself is sent one exchange with the
 * operation {@code preflight} and the kind of its move (headers override options, see {@link VmConstants}), so the
 * hypervisors are opened and checked exactly as the move would open them; nothing moves.
 */
final class RoutePlanner {
    private static final Map<VmOperation, MigrationKind> MOVES = Map.of(VmOperation.MIGRATE_LIVE, MigrationKind.LIVE,
            VmOperation.MIGRATE_COLD, MigrationKind.COLD, VmOperation.MOVE_STORAGE, MigrationKind.STORAGE);

    private final CamelContext context;
    private final int sampleRows;
    private final List<String> errors;
    private final List<String> badInput;

    /**
     * @param sampleRows converted records to show per table
     * @param errors     where endpoints that cannot be planned are added
     * @param badInput   where those of them that are bad input are added too
     */
    RoutePlanner(CamelContext context, int sampleRows, List<String> errors, List<String> badInput) {
        this.context = context;
        this.sampleRows = sampleRows;
        this.errors = errors;
        this.badInput = badInput;
    }

    /** Adds {@code where: message} to the errors, and to bad input when its kind is. */
    static void failed(String where, MigrationException e, List<String> errors, List<String> badInput) {
        String error = where + ": " + e.getMessage();
        errors.add(error);
        if (BadInput.isBadInput(e.kind())) {
            badInput.add(error);
        }
    }

    /** A plan per {@code caravan-records:} endpoint that could be planned. */
    List<RecordPlan> records() {
        List<RecordPlan> out = new ArrayList<>();
        for (RouteEndpoints.Located<RecordsEndpoint> found : RouteEndpoints.all(context, RecordsEndpoint.class)) {
            try {
                out.add(plan(found.routeId(), found.endpoint()));
            } catch (MigrationException e) {
                failed(found.where(), e, errors, badInput);
            }
        }
        return out;
    }

    /**
     * The verification of every table migration ({@code caravan-records:migrate} or {@code verify}) against its
     * source, by route: what {@code caravan verify FILE.yaml} reports. One that cannot be verified is an error.
     */
    List<Map.Entry<String, VerificationReport>> recordVerifications() {
        List<Map.Entry<String, VerificationReport>> out = new ArrayList<>();
        for (RouteEndpoints.Located<RecordsEndpoint> found : RouteEndpoints.all(context, RecordsEndpoint.class)) {
            RecordsRequest r = found.endpoint().request();
            if (r.operation() == RecordsOperation.CONVERT) {
                try {
                    RecordsRequest.Conversion c = r.conversion();
                    out.add(Map.entry(found.routeId() == null ? c.source() : found.routeId(),
                            ConvertRecords.verify(found.endpoint().getComponent().registry(), c)));
                } catch (MigrationException e) {
                    failed(found.where(), e, errors, badInput);
                }
                continue;
            }
            if (r.operation() != RecordsOperation.MIGRATE && r.operation() != RecordsOperation.VERIFY) {
                continue;
            }
            try {
                out.add(Map.entry(found.routeId() == null ? r.table().source() : found.routeId(),
                        found.endpoint().getComponent().engine().verify(r.table())));
            } catch (MigrationException e) {
                failed(found.where(), e, errors, badInput);
            }
        }
        return out;
    }

    private RecordPlan plan(String routeId, RecordsEndpoint endpoint) {
        RecordsRequest r = endpoint.request();
        String op = r.operation().uriName();
        if (r.operation() == RecordsOperation.CONVERT) {
            RecordsRequest.Conversion c = r.conversion();
            Sample s = ConvertRecords.sample(endpoint.getComponent().registry(), c, sampleRows);
            return new RecordPlan(routeId, op, Uris.masked(c.source()), Uris.masked(c.target()),
                    List.of(table(c.include() == null ? "*" : c.include(), s)));
        }
        List<TablePreview> previews = endpoint.getComponent().engine().plan(r.table(), sampleRows);
        return new RecordPlan(routeId, op, Uris.masked(r.table().source()), Uris.masked(r.table().target()),
                previews.stream().map(RoutePlanner::table).toList());
    }

    private static RecordPlan.TablePlan table(String name, Sample s) {
        List<RecordPlan.ColumnMapping> columns = s.typeMapping().stream().map(m -> new RecordPlan.ColumnMapping(
                m.sourceColumn(), m.sourceType() + " (" + m.sourceFormatType() + ")", m.targetColumn(),
                m.targetType() + " (" + m.targetFormatType() + ")", m.rule())).toList();
        return new RecordPlan.TablePlan(name, columns, null, 1, names(s.target().columns()), rows(s.records()),
                s.rejects().stream().map(Object::toString).toList());
    }

    private static RecordPlan.TablePlan table(TablePreview p) {
        Map<String, String> ddl = DdlColumns.parse(p.targetDdl());
        List<RecordPlan.ColumnMapping> columns = new ArrayList<>();
        for (Column t : p.targetSchema().columns()) {
            Optional<Column> s = p.sourceSchema().columns().stream().filter(c -> c.name().equals(t.name()))
                    .findFirst();
            String rule = s.isEmpty() ? "renamed or derived" : sameType(s.get(), t) ? "copy" : "cast";
            columns.add(new RecordPlan.ColumnMapping(s.map(Column::name).orElse(null),
                    s.map(RoutePlanner::sourceType).orElse("-"), t.name(),
                    ddl.getOrDefault(t.name(), typeName(t)), rule));
        }
        return new RecordPlan.TablePlan(p.table(), columns, p.targetDdl(), p.splits().size(),
                names(p.targetSchema().columns()), rows(p.sample()), List.of());
    }

    private static boolean sameType(Column a, Column b) {
        return a.type() == b.type() && a.precision() == b.precision() && a.scale() == b.scale();
    }

    /** The source's own type name with Caravan's type, e.g. {@code REAL (DOUBLE)}. */
    private static String sourceType(Column c) {
        String ours = typeName(c);
        return c.nativeType() == null || c.nativeType().isBlank() || c.nativeType().equalsIgnoreCase(ours) ? ours
                : c.nativeType() + " (" + ours + ")";
    }

    private static String typeName(Column c) {
        return Values.typeName(c.type(), c.precision(), c.scale()) + (c.nullable() ? "" : " NOT NULL");
    }

    private static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).toList();
    }

    private static List<List<String>> rows(List<DataRecord> records) {
        List<List<String>> out = new ArrayList<>();
        for (DataRecord r : records) {
            List<String> cells = new ArrayList<>();
            for (Object v : r.values()) {
                cells.add(v == null ? "NULL" : TextValues.abbreviate(TextValues.format(v)));
            }
            out.add(cells);
        }
        return out;
    }

    /** A preflight per {@code caravan-vm:} move endpoint (and per {@code preflight} endpoint). */
    List<VmPlan> vms() {
        List<VmPlan> out = new ArrayList<>();
        List<RouteEndpoints.Located<CaravanVmEndpoint>> all = RouteEndpoints.all(context, CaravanVmEndpoint.class);
        if (all.isEmpty()) {
            return out;
        }
        ProducerTemplate template = context.createProducerTemplate();
        try {
            for (RouteEndpoints.Located<CaravanVmEndpoint> found : all) {
                preflight(template, found).ifPresent(out::add);
            }
        } finally {
            try {
                template.close();
            } catch (java.io.IOException e) {
                // nothing to release that matters
            }
        }
        return out;
    }

    private Optional<VmPlan> preflight(ProducerTemplate template, RouteEndpoints.Located<CaravanVmEndpoint> found) {
        CaravanVmEndpoint endpoint = found.endpoint();
        MigrationKind kind = MOVES.get(endpoint.getOperation());
        if (kind == null && endpoint.getOperation() == VmOperation.PREFLIGHT) {
            String k = option(endpoint, "kind");
            kind = k == null ? MigrationKind.LIVE : MigrationKind.valueOf(k.toUpperCase(Locale.ROOT));
        }
        if (kind == null) {
            return Optional.empty(); // describe, list, abort: nothing to plan
        }
        String domain = option(endpoint, "domain");
        String source = Uris.masked(option(endpoint, "source"));
        String target = kind == MigrationKind.STORAGE ? source : Uris.masked(option(endpoint, "target"));
        if (domain == null || source == null || target == null) {
            String missing = domain == null ? "domain" : source == null ? "source" : "target";
            return Optional.of(new VmPlan(found.routeId(), kind, domain, source, target, List.of(new PreflightCheck(
                    "plan", PreflightCheck.Status.WARN, "the " + missing + " is chosen when the route runs (a header"
                            + " or the body); caravan plan cannot check this move"))));
        }
        MigrationKind k = kind;
        Exchange done = template.send(endpoint, e -> {
            e.getMessage().setHeader(VmConstants.OPERATION, VmOperation.PREFLIGHT.uriName());
            e.getMessage().setHeader(VmConstants.headerOf("kind"), k.name().toLowerCase(Locale.ROOT));
        });
        if (done.getException() != null) {
            MigrationException m = RouteErrors.find(done.getException(), MigrationException.class);
            failed(found.where(), m != null ? m : new MigrationException(ErrorKind.FATAL,
                    String.valueOf(done.getException().getMessage()), done.getException()), errors, badInput);
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<PreflightCheck> checks = done.getMessage().getBody(List.class);
        return Optional.of(new VmPlan(found.routeId(), kind, domain, source, target, checks));
    }

    private static String option(CaravanVmEndpoint endpoint, String option) {
        String v = endpoint.getConfiguration().get(option);
        return v == null || v.isBlank() ? null : v;
    }
}
