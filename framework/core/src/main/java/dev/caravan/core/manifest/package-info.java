/**
 * Manifests: an evidence bundle for a migration. A manifest is a JSON Lines file listing every object of a location
 * (key, size, SHA-256, time, ETag) between a header and a final line with a chain digest over all lines before it, so
 * any edit is detected; an Ed25519 signature ({@link dev.caravan.core.manifest.ManifestSignatures}) proves who wrote
 * it. {@link dev.caravan.core.manifest.ManifestMaker} writes one, {@link dev.caravan.core.manifest.ManifestChecker}
 * checks a location against one.
 */
package dev.caravan.core.manifest;
