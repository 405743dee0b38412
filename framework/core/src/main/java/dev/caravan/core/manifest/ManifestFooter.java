package dev.caravan.core.manifest;

/**
 * The last line of a manifest.
 *
 * @param objects how many object lines the manifest holds
 * @param bytes   the sum of their sizes
 * @param chain   SHA-256 (lower-case hex) of every line before this one, each with its {@code \n}
 */
public record ManifestFooter(long objects, long bytes, String chain) {
}
