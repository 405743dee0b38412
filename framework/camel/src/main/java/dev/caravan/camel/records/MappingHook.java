package dev.caravan.camel.records;

import dev.caravan.formats.mapping.BoundMapping;
import dev.caravan.formats.mapping.RecordMapping;

/** Plugs a declared schema mapping of the formats module into the record engine's mapping hook. */
final class MappingHook {
    private MappingHook() {
    }

    /** The engine hook for a declared mapping; the identity hook for an empty one. */
    static dev.caravan.core.records.RecordMapping of(RecordMapping mapping) {
        if (mapping == null || mapping.isIdentity()) {
            return dev.caravan.core.records.RecordMapping.IDENTITY;
        }
        return schema -> {
            BoundMapping bound = mapping.bind(schema);
            return new dev.caravan.core.records.RecordMapping.Bound(bound.target(), bound);
        };
    }
}
