package dev.caravan.formats;

import dev.caravan.api.config.Config;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.format.RecordCodec;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.Schema;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Base of Caravan's codecs. Beyond {@link RecordCodec} it gives readers that know their schema
 * ({@link FormatReader}), decoding from a {@link ByteSource} (random access for Parquet, the input's name in every
 * error), writers that report their size ({@link FormatWriter}), and the physical type each column gets in the
 * format ({@link #physicalType}). Codecs are stateless and thread-safe.
 *
 * <p>Streams: a decoder given an {@link InputStream} does not close it (the caller does, after closing the
 * reader); a decoder given a {@link ByteSource} closes what it opened. An encoder never closes its stream.
 * A {@code null} config means the defaults of {@link #options()}.
 */
public abstract class FormatCodec implements RecordCodec {

    /** File name extension without dot, e.g. {@code parquet}. */
    public abstract String extension();

    /** MIME type of the files. */
    public abstract String contentType();

    /**
     * How a column is represented in this format, e.g. {@code INT64 TIMESTAMP(MICROS,false)} for Parquet; the
     * type-mapping table of the docs and of {@code caravan plan --sample} is generated from it.
     */
    public abstract String physicalType(Column column, Config config);

    /** Decodes {@code in}; the reader never closes {@code in}. */
    protected abstract FormatReader decode(InputStream in, Closeable owned, String name, Schema schema, Config config);

    /** Encodes into {@code out}; {@code name} is used in messages. */
    protected abstract FormatWriter encode(OutputStream out, String name, Schema schema, Config config);

    /**
     * Whether a reader given a schema reads only its columns and skips the input's others without a word (Avro,
     * Parquet), rather than refusing them (CSV, JSON Lines: {@code unknownColumns}, {@code unknownFields}).
     */
    public boolean skipsUnrequestedColumns() {
        return false;
    }

    /** Validates raw option values against {@link #options()}. */
    public Config config(Map<String, String> raw) {
        return options().resolve(raw == null ? Map.of() : raw);
    }

    @Override
    public final FormatReader decoder(InputStream in, Schema schema, Config config) {
        return decode(in, null, "input", schema, resolve(config));
    }

    /** Decodes a named source; the reader closes the stream it opens. */
    public FormatReader decoder(ByteSource source, Schema schema, Config config) {
        Config c = resolve(config);
        InputStream in = source.open(0);
        try {
            return decode(in, in, source.name(), schema, c);
        } catch (RuntimeException e) {
            try {
                in.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public final FormatWriter encoder(OutputStream out, Schema schema, Config config) {
        return encode(out, "output", schema, resolve(config));
    }

    /** An encoder whose errors name {@code name} (the target object). */
    public final FormatWriter encoder(OutputStream out, String name, Schema schema, Config config) {
        return encode(out, name, schema, resolve(config));
    }

    /** The config to use: the defaults when {@code null}; refuses a config made for another component. */
    protected final Config resolve(Config config) {
        if (config == null) {
            return options().resolve(Map.of());
        }
        if (!config.options().owner().equals(options().owner())) {
            throw MigrationException.userConfig("options of " + config.options().owner() + " given to the "
                    + name() + " codec; resolve them with its own options()");
        }
        return config;
    }
}
