package dev.caravan.core.manifest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Writes a manifest's lines to a stream: the header at once, then one line per {@link #add}, then the footer with the
 * chain digest at {@link #finish}. Holds nothing per object. Not thread-safe.
 */
final class ManifestWriter {
    private final OutputStream out;
    private final MessageDigest chain = Sha256.newDigest();
    private long objects;
    private long bytes;

    ManifestWriter(OutputStream out, ManifestHeader header) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        line(ManifestLines.header(header));
    }

    void add(ManifestEntry entry) {
        line(ManifestLines.entry(entry));
        objects++;
        bytes += entry.size();
    }

    /** Writes the footer and flushes; the stream stays open. */
    ManifestFooter finish() {
        ManifestFooter footer = new ManifestFooter(objects, bytes, HexFormat.of().formatHex(chain.digest()));
        try {
            out.write((ManifestLines.footer(footer) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return footer;
    }

    private void line(String text) {
        byte[] raw = (text + "\n").getBytes(StandardCharsets.UTF_8);
        chain.update(raw);
        try {
            out.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
