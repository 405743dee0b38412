package dev.caravan.camel.objects;

import dev.caravan.api.error.MigrationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Producer operations of {@code caravan-objects:}. */
public enum ObjectsOperation {
    /** Body: {@link dev.caravan.api.store.ObjectInfo} or {@code null}; header {@code CamelCaravanObjectExists}. */
    STAT,
    /** Body: an {@link java.io.InputStream} of the object (the caller closes it). */
    GET,
    /** Writes the body (InputStream, byte[], String, File, Path) under the key; body: the new ObjectInfo. */
    PUT,
    /** Copies the key to the target store: server-side where possible, else streamed, hashed and verified. */
    COPY,
    /** Deletes the key (deleting a missing object is not an error). */
    DELETE,
    /** Compares the key with the target store by size and SHA-256; body: a VerificationItem. */
    VERIFY;

    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ObjectsOperation parse(String text) {
        for (ObjectsOperation op : values()) {
            if (op.uriName().equalsIgnoreCase(text.trim())) {
                return op;
            }
        }
        throw MigrationException.userConfig("unknown caravan-objects operation '" + text + "' (known operations: "
                + Arrays.stream(values()).map(ObjectsOperation::uriName).collect(Collectors.joining(", ")) + ")");
    }
}
