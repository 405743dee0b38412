package dev.caravan.runtime;

/** Locations as the runtime shows them: passwords in a URI or JDBC URL masked. */
final class Uris {
    private Uris() {
    }

    /**
     * The location with {@code password=...} query or property values and the password of {@code //user:pw@host}
     * replaced by {@code ****}; {@code null} stays {@code null}.
     */
    static String masked(String uri) {
        return dev.caravan.api.config.MaskedUris.of(uri);
    }
}
