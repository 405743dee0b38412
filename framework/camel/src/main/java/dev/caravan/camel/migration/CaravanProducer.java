package dev.caravan.camel.migration;

import dev.caravan.camel.support.InputHeaders;
import dev.caravan.api.error.MigrationException;
import dev.caravan.camel.support.BadInput;
import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.plan.MigrationSpec;
import java.util.EnumMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * Dispatches each exchange to the operation of its endpoint (or of the {@code CamelCaravanOperation} header): builds
 * the spec from options and headers, runs the operation, and applies the response to the message. Bad input
 * (see {@link BadInput}) is marked on the exchange before the exception goes to Camel.
 */
public class CaravanProducer extends DefaultProducer {
    private final Map<CaravanOperation, MigrationOperation> operations = new EnumMap<>(CaravanOperation.class);

    public CaravanProducer(CaravanEndpoint endpoint) {
        super(endpoint);
        CaravanComponent component = endpoint.getComponent();
        operations.put(CaravanOperation.MIGRATE, new RunMigration(component));
        operations.put(CaravanOperation.PLAN, new PlanMigration(component));
        operations.put(CaravanOperation.VERIFY, new VerifyMigration(component));
    }

    @Override
    public CaravanEndpoint getEndpoint() {
        return (CaravanEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        OperationResponse response;
        try {
            String override = InputHeaders.get(in, CaravanConstants.OPERATION, String.class);
            CaravanOperation operation = override == null || override.isBlank() ? getEndpoint().getOperation()
                    : CaravanOperation.parse(override);
            MigrationSpec spec = getEndpoint().spec(name -> InputHeaders.get(in, name), exchange.getFromRouteId());
            response = operations.get(operation).execute(spec);
        } catch (MigrationException e) {
            BadInput.mark(exchange, e); // nothing was written: the engine throws these kinds before a run writes
            throw e;
        }
        response.applyTo(in);
    }
}
