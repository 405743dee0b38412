package dev.caravan.camel.objects;

import dev.caravan.camel.support.InputHeaders;
import dev.caravan.camel.objects.operations.CopyObject;
import dev.caravan.camel.objects.operations.DeleteObject;
import dev.caravan.camel.objects.operations.GetObject;
import dev.caravan.camel.objects.operations.ObjectOperation;
import dev.caravan.camel.objects.operations.PutObject;
import dev.caravan.camel.objects.operations.StatObject;
import dev.caravan.camel.objects.operations.VerifyObject;
import dev.caravan.camel.support.OperationResponse;
import java.util.EnumMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Dispatches each exchange to one small operation class and applies its response. */
public class ObjectsProducer extends DefaultProducer {
    private static final Map<ObjectsOperation, ObjectOperation> OPERATIONS = new EnumMap<>(ObjectsOperation.class);

    static {
        OPERATIONS.put(ObjectsOperation.STAT, new StatObject());
        OPERATIONS.put(ObjectsOperation.GET, new GetObject());
        OPERATIONS.put(ObjectsOperation.PUT, new PutObject());
        OPERATIONS.put(ObjectsOperation.COPY, new CopyObject());
        OPERATIONS.put(ObjectsOperation.DELETE, new DeleteObject());
        OPERATIONS.put(ObjectsOperation.VERIFY, new VerifyObject());
    }

    public ObjectsProducer(CaravanObjectsEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public CaravanObjectsEndpoint getEndpoint() {
        return (CaravanObjectsEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) {
        String override = InputHeaders.get(exchange.getMessage(), ObjectsConstants.OPERATION, String.class);
        ObjectsOperation operation = ObjectsOperation.parse(override == null || override.isBlank()
                ? getEndpoint().getOperation() : override);
        OperationResponse response = OPERATIONS.get(operation).execute(new ObjectRequest(getEndpoint(), exchange));
        response.applyTo(exchange.getMessage());
    }
}
