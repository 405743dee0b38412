package dev.caravan.api.store;

/**
 * The kinds of descriptive attributes an object may carry besides its bytes, modification time and POSIX mode.
 * {@link StoreFeatures#keeps()} says which of them a store keeps, so a copy knows before writing what the target
 * will not hold.
 */
public enum MetadataKind {
    /** {@link ObjectInfo#contentType()} / {@link PutRequest#contentType()}. */
    CONTENT_TYPE,
    /** {@link ContentHeaders}: cache control, content disposition, encoding and language. */
    CONTENT_HEADERS,
    /** User metadata: {@link ObjectInfo#metadata()} / {@link PutRequest#metadata()}. */
    USER_METADATA,
    /** Object tags (S3 object tags, Azure blob index tags): {@link ObjectInfo#tags()} / {@link PutRequest#tags()}. */
    TAGS
}
