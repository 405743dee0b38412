package dev.caravan.camel.vm;

import dev.caravan.camel.support.InputHeaders;
import dev.caravan.api.error.MigrationException;
import dev.caravan.camel.support.BadInput;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.camel.vm.operations.AbortVm;
import dev.caravan.camel.vm.operations.DescribeVm;
import dev.caravan.camel.vm.operations.ListVms;
import dev.caravan.camel.vm.operations.MigrateCold;
import dev.caravan.camel.vm.operations.MigrateLive;
import dev.caravan.camel.vm.operations.MoveStorage;
import dev.caravan.camel.vm.operations.PreflightVm;
import dev.caravan.camel.vm.operations.VmOperationHandler;
import java.util.EnumMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * Dispatches each exchange to the operation class of its endpoint (or of the {@code CamelCaravanVmOperation} header)
 * and applies the response to the message. Bad input (see {@link BadInput}: a wrong option, an unknown domain, a
 * preflight that refused the move) is marked on the exchange before the exception goes to Camel: the operations
 * throw those kinds only before anything moved.
 */
public class VmProducer extends DefaultProducer {
    private static final Map<VmOperation, VmOperationHandler> OPERATIONS = new EnumMap<>(VmOperation.class);

    static {
        OPERATIONS.put(VmOperation.DESCRIBE, new DescribeVm());
        OPERATIONS.put(VmOperation.LIST, new ListVms());
        OPERATIONS.put(VmOperation.PREFLIGHT, new PreflightVm());
        OPERATIONS.put(VmOperation.MIGRATE_LIVE, new MigrateLive());
        OPERATIONS.put(VmOperation.MIGRATE_COLD, new MigrateCold());
        OPERATIONS.put(VmOperation.MOVE_STORAGE, new MoveStorage());
        OPERATIONS.put(VmOperation.ABORT, new AbortVm());
    }

    public VmProducer(CaravanVmEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public CaravanVmEndpoint getEndpoint() {
        return (CaravanVmEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        OperationResponse response;
        try (VmRequest request = new VmRequest(getEndpoint(), exchange)) {
            try {
                String override = InputHeaders.get(in, VmConstants.OPERATION, String.class);
                VmOperation operation = override == null || override.isBlank() ? getEndpoint().getOperation()
                        : VmOperation.parse(override);
                response = OPERATIONS.get(operation).execute(request);
            } catch (MigrationException e) {
                request.failed(e);
                BadInput.mark(exchange, e);
                throw e;
            }
        }
        response.applyTo(in);
    }
}
