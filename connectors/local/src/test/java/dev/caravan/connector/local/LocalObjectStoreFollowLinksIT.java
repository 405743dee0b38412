package dev.caravan.connector.local;

import java.util.Map;

/**
 * Runs the contract again with the non-default options: following symbolic links, fsync and no POSIX modes, so
 * the code paths they switch are held to the same behaviour.
 */
class LocalObjectStoreFollowLinksIT extends LocalObjectStoreIT {
    @Override
    protected Map<String, String> options() {
        return Map.of("followSymlinks", "true", "fsync", "true", "preserveMode", "false");
    }
}
