package dev.caravan.core.manifest;

import java.time.Instant;

/**
 * The first line of a manifest.
 *
 * @param version  the format version ({@link ManifestLines#FORMAT_VERSION} for the files this version writes)
 * @param location the listed location, without secrets
 * @param created  when the manifest was written
 * @param tool     the tool and version that wrote it, e.g. {@code caravan 1.0.0}
 */
public record ManifestHeader(int version, String location, Instant created, String tool) {
}
