package dev.caravan.camel.records.operations;

import dev.caravan.camel.records.RecordsRequest;
import dev.caravan.camel.support.OperationResponse;

/** One operation of the {@code caravan-records:} producer. Implementations are stateless and thread-safe. */
public interface RecordsOperationHandler {
    /** Runs the operation; the response carries the body and the headers to set. */
    OperationResponse execute(RecordsRequest request);
}
