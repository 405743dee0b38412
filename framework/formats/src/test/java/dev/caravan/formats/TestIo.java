package dev.caravan.formats;

import dev.caravan.api.config.Config;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.connector.local.LocalObjectStore;
import dev.caravan.connector.local.LocalStoreSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Helpers for tests: encode and decode in memory, open local stores. */
public final class TestIo {
    private TestIo() {
    }

    public static LocalObjectStore store(Path root) {
        try {
            java.nio.file.Files.createDirectories(root);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return LocalObjectStore.open(root, new LocalStoreSettings(true, false, false, false));
    }

    public static Config config(String format, Map<String, String> options) {
        return Codecs.get(format).config(options);
    }

    public static byte[] encode(String format, Schema schema, List<DataRecord> rows, Map<String, String> options) {
        FormatCodec codec = Codecs.get(format);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FormatWriter w = codec.encoder(out, schema, codec.config(options))) {
            rows.forEach(w::write);
            w.commit();
        }
        return out.toByteArray();
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static FormatReader reader(String format, String text, Schema schema, Map<String, String> options) {
        FormatCodec codec = Codecs.get(format);
        return codec.decoder(source("data." + format, text.getBytes(StandardCharsets.UTF_8)), schema,
                codec.config(options));
    }

    public static List<DataRecord> readAll(FormatReader reader) {
        List<DataRecord> out = new ArrayList<>();
        try (reader) {
            DataRecord r;
            while ((r = reader.next()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    public static ByteSource source(String name, byte[] bytes) {
        return new ByteSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public java.io.InputStream open(long offset) {
                return new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
            }
        };
    }
}
