package dev.caravan.camel.objects;

import org.apache.camel.spi.Metadata;

/**
 * Header names of the {@code caravan-objects:} component. Names start with {@code Camel} so that headers from
 * outside cannot set them (see {@link dev.caravan.camel.migration.CaravanConstants}).
 */
public final class ObjectsConstants {

    @Metadata(label = "producer", description = "Overrides the operation: stat, get, put, copy, delete or verify.",
              javaType = "String")
    public static final String OPERATION = "CamelCaravanObjectsOperation";
    @Metadata(description = "Key of the object, relative to the store root. Set by the consumer; read by the"
                            + " producer (over the key option).", javaType = "String")
    public static final String KEY = "CamelCaravanObjectKey";
    @Metadata(description = "Size of the object in bytes (-1 when unknown).", javaType = "Long")
    public static final String SIZE = "CamelCaravanObjectSize";
    @Metadata(label = "consumer", description = "What the consumer found to do: COPY, REPLACE, METADATA (same"
                                                + " bytes, other content type, headers, user metadata or kept time:"
                                                + " a copy carries them) or DELETE (DELETE names a target object"
                                                + " missing from the source, in sync mode; the body is then the"
                                                + " target's ObjectInfo).",
              javaType = "String")
    public static final String ACTION = "CamelCaravanAction";
    @Metadata(label = "consumer", description = "Why, e.g. 'missing on target' or 'size 10 on source, 12 on"
                                                + " target' (with a journal, by action only).",
              javaType = "String")
    public static final String REASON = "CamelCaravanReason";
    @Metadata(label = "consumer", description = "Deterministic id of the task of this object (the same object"
                                                + " version between the same stores always has the same id).",
              javaType = "String")
    public static final String TASK_ID = "CamelCaravanTaskId";
    @Metadata(label = "consumer", description = "Journal run of the pass that emitted the exchange (only with a"
                                                + " journal).", javaType = "String")
    public static final String RUN_ID = "CamelCaravanRunId";
    @Metadata(label = "consumer", description = "The store the consumer listed (scheme:location).",
              javaType = "String")
    public static final String SOURCE_STORE = "CamelCaravanSourceStore";
    @Metadata(description = "Target store (scheme:location) of copy and verify; the consumer sets it from its"
                            + " target option.", javaType = "String")
    public static final String TARGET_STORE = "CamelCaravanTargetStore";
    @Metadata(label = "producer", description = "Target key of copy and verify; default the key.",
              javaType = "String")
    public static final String TARGET_KEY = "CamelCaravanTargetKey";
    @Metadata(label = "producer", description = "Whether the object exists (stat).", javaType = "Boolean")
    public static final String EXISTS = "CamelCaravanObjectExists";
    @Metadata(label = "producer", description = "SHA-256 of the bytes written, hex (put, copy).", javaType = "String")
    public static final String SHA256 = "CamelCaravanSha256";
    @Metadata(label = "producer", description = "How a copy was made: server-side or stream.", javaType = "String")
    public static final String COPY_METHOD = "CamelCaravanCopyMethod";
    @Metadata(label = "producer", description = "Verdict of verify: MATCH, DIFFER, MISSING_ON_SOURCE,"
                                                + " MISSING_ON_TARGET or ERROR.", javaType = "String")
    public static final String VERIFICATION_OUTCOME = "CamelCaravanVerificationOutcome";

    private ObjectsConstants() {
    }
}
