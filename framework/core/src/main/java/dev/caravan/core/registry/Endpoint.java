package dev.caravan.core.registry;

import dev.caravan.api.error.MigrationException;

/**
 * A location written as {@code scheme:location}, e.g. {@code local:/data} or {@code s3:bucket/prefix}.
 *
 * @param scheme   connector scheme
 * @param location the rest, interpreted by the connector
 */
public record Endpoint(String scheme, String location) {

    /** Parses {@code scheme:location}; a bare path is refused with a hint. */
    public static Endpoint parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw MigrationException.userConfig("a location is empty; write it as scheme:location, e.g. local:/data");
        }
        int colon = uri.indexOf(':');
        if (colon <= 0 || !uri.substring(0, colon).matches("[a-z][a-z0-9+.-]*")) {
            throw MigrationException.userConfig("'" + uri + "' has no connector scheme; write it as scheme:location,"
                    + " e.g. local:" + uri);
        }
        return new Endpoint(uri.substring(0, colon), uri.substring(colon + 1));
    }

    @Override
    public String toString() {
        return scheme + ":" + location;
    }
}
