package dev.caravan.camel.records;

import dev.caravan.camel.support.InputHeaders;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.camel.records.operations.ConvertRecords;
import dev.caravan.camel.records.operations.MigrateRecords;
import dev.caravan.camel.records.operations.PlanRecords;
import dev.caravan.camel.records.operations.RecordsOperationHandler;
import dev.caravan.camel.records.operations.VerifyRecords;
import dev.caravan.camel.support.BadInput;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.formats.store.ConversionReport;
import java.util.EnumMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * Dispatches each exchange to the operation of its endpoint (or of the {@code CamelCaravanOperation} header): builds
 * the request from options and headers, runs the operation and applies the response to the message. Bad input found
 * before anything was written is marked on the exchange (see {@link BadInput}), and so is bad data that fails a
 * conversion (which then publishes nothing); with {@code failOnError} (the
 * default) an unsuccessful outcome fails the exchange after body and headers are set.
 */
public class RecordsProducer extends DefaultProducer {
    private final Map<RecordsOperation, RecordsOperationHandler> operations = new EnumMap<>(RecordsOperation.class);

    public RecordsProducer(RecordsEndpoint endpoint) {
        super(endpoint);
        CaravanRecordsComponent c = endpoint.getComponent();
        operations.put(RecordsOperation.MIGRATE, new MigrateRecords(c::engine, c::fireRun));
        operations.put(RecordsOperation.PLAN, new PlanRecords(c::engine, c::firePlan));
        operations.put(RecordsOperation.VERIFY, new VerifyRecords(c::engine, c::fireVerify));
        operations.put(RecordsOperation.CONVERT, new ConvertRecords(c::registry, c::fireConvert));
    }

    /** The first error or verification problem of a result, for the exception message. */
    private static String firstProblem(Object body) {
        VerificationReport report = body instanceof VerificationReport v ? v : null;
        if (body instanceof RecordMigrationResult r) {
            if (!r.errors().isEmpty()) {
                return " (" + r.errors().get(0) + ")";
            }
            report = r.verification();
        }
        if (body instanceof ConversionReport c) {
            report = c.verification();
        }
        if (report != null && !report.problems().isEmpty()) {
            VerificationItem i = report.problems().get(0);
            return " (" + report.problems().size() + " problem(s), first: " + i.item() + " " + i.outcome() + ": "
                    + i.detail() + ")";
        }
        return "";
    }

    @Override
    public RecordsEndpoint getEndpoint() {
        return (RecordsEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        RecordsRequest request;
        try {
            String override = InputHeaders.get(in, RecordsConstants.OPERATION, String.class);
            RecordsOperation operation = override == null || override.isBlank() ? getEndpoint().getOperation()
                    : RecordsOperation.parse(override);
            request = getEndpoint().request(operation, name -> InputHeaders.get(in, name), exchange.getFromRouteId());
        } catch (MigrationException e) {
            BadInput.mark(exchange, e); // nothing was written yet
            throw e;
        }
        OperationResponse response;
        try {
            response = operations.get(request.operation()).execute(request);
        } catch (MigrationException e) {
            if (request.operation() != RecordsOperation.MIGRATE && request.operation() != RecordsOperation.CONVERT) {
                BadInput.mark(exchange, e); // plan and verify never write
            } else if (e.kind() == ErrorKind.USER_CONFIG || e.kind() == ErrorKind.NOT_FOUND) {
                BadInput.mark(exchange, e); // thrown while opening and planning, before anything is written
            } else if (request.operation() == RecordsOperation.CONVERT && e.kind() == ErrorKind.USER_DATA) {
                BadInput.mark(exchange, e); // bad data: a conversion that fails publishes nothing
            }
            throw e;
        }
        response.applyTo(in);
        Object code = response.headers().get(RecordsConstants.EXIT_CODE);
        if (request.failOnError() && code instanceof Integer c && c != 0) {
            String outcome = in.getHeader(RecordsConstants.OUTCOME, "NOT_CLEAN", String.class);
            ErrorKind kind = outcome.equals("FAILED") ? ErrorKind.FATAL : ErrorKind.VERIFICATION_FAILED;
            String first = firstProblem(response.body());
            throw new MigrationException(kind, request.operation().uriName() + " ended " + outcome + first
                    + "; set failOnError=false to handle the result in the route");
        }
    }
}
