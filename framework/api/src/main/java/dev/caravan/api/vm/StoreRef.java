package dev.caravan.api.vm;

import java.util.Map;

/**
 * An object store a hypervisor exposes (its disk volumes), as the object engine opens stores.
 *
 * @param uri     {@code scheme:location}, without secrets
 * @param options connector options of that store; may contain secrets, which must be masked when shown
 */
public record StoreRef(String uri, Map<String, String> options) {
    public StoreRef {
        options = Map.copyOf(options);
    }

    @Override
    public String toString() {
        return uri;
    }
}
