package dev.caravan.api.format;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.Options;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Turns store bytes into records and back (CSV, JSON Lines, Avro, Parquet), so a format migration is
 * store bytes -> records -> store bytes. Registered in {@code META-INF/services/dev.caravan.api.format.RecordCodec}.
 */
public interface RecordCodec {
    /** Format name, e.g. {@code csv}. */
    String name();

    Options options();

    /** Reads records from {@code in}; {@code schema} may be {@code null} when the format carries its own. */
    RecordReader decoder(InputStream in, Schema schema, Config config);

    /** Writes records to {@code out}; {@link RecordWriter#commit()} flushes the format's trailer. */
    RecordWriter encoder(OutputStream out, Schema schema, Config config);
}
