package dev.caravan.camel.migration;

import dev.caravan.camel.support.OperationResponse;
import dev.caravan.core.plan.MigrationSpec;

/** One operation of the {@code caravan:} producer. Implementations are stateless and thread-safe. */
interface MigrationOperation {
    OperationResponse execute(MigrationSpec spec);
}
