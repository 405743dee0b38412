package dev.caravan.api.store;

import java.util.List;
import java.util.Objects;

/**
 * Tells, before a write, which attributes of a put request a store cannot hold as given (a user metadata key its
 * rules refuse, a tag over its limits, metadata beyond its size limit), so the caller can map them by a declared
 * rule or report them instead of failing the copy or losing them silently. Only attributes of the kinds in
 * {@link StoreFeatures#keeps()} are checked; kinds a store does not keep at all are the caller's to report.
 * Fallback when absent: every attribute of a kept kind is held as given. Implementations are stateless and
 * thread-safe; {@link #refusals} never throws for bad metadata.
 */
public interface MetadataCheck extends StoreCapability {

    /**
     * What of {@code request} the store would not hold, one entry per attribute; empty when it holds all of it.
     * A put of the request without these attributes must succeed as far as metadata is concerned.
     *
     * @param key     the key to be written (for messages)
     * @param request the attributes to write
     */
    List<Refusal> refusals(String key, PutRequest request);

    /**
     * One attribute a store cannot hold.
     *
     * @param kind   its kind
     * @param name   the metadata or tag key, or the header name ({@link ContentHeaders#CACHE_CONTROL}, ...)
     * @param reason why, in words a user can act on (e.g. "S3 metadata keys must be HTTP tokens")
     */
    record Refusal(MetadataKind kind, String name, String reason) {
        public Refusal {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
