package dev.caravan.formats;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.format.RecordCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds codecs by name or file extension through {@link ServiceLoader}
 * ({@code META-INF/services/dev.caravan.api.format.RecordCodec}).
 */
public final class Codecs {
    private Codecs() {
    }

    /** Every registered codec. */
    public static List<RecordCodec> all() {
        List<RecordCodec> out = new ArrayList<>();
        ServiceLoader.load(RecordCodec.class, Codecs.class.getClassLoader()).forEach(out::add);
        return out;
    }

    /** The codec named {@code name} (case-insensitive), as a {@link FormatCodec}; {@code USER_CONFIG} if unknown. */
    public static FormatCodec get(String name) {
        List<String> names = new ArrayList<>();
        for (RecordCodec c : all()) {
            names.add(c.name());
            if (c.name().equalsIgnoreCase(name.trim())) {
                if (c instanceof FormatCodec f) {
                    return f;
                }
                throw MigrationException.unsupported("codec " + name + " (" + c.getClass().getName()
                        + ") does not extend FormatCodec, which object-store record adapters need");
            }
        }
        throw MigrationException.userConfig("unknown format '" + name + "'; known formats: " + names);
    }

    /** The codec whose extension ends {@code key} ({@code .csv}, {@code .jsonl}/{@code .ndjson}, ...), if any. */
    public static Optional<FormatCodec> forKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.endsWith(".ndjson") || k.endsWith(".json")) {
            k = k.substring(0, k.lastIndexOf('.')) + ".jsonl";
        }
        for (RecordCodec c : all()) {
            if (c instanceof FormatCodec f && k.endsWith("." + f.extension())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
