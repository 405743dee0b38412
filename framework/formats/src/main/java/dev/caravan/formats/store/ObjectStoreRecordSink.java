package dev.caravan.formats.store;

import dev.caravan.api.config.Config;
import dev.caravan.api.record.ReadBack;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.formats.FormatCodec;
import java.util.Objects;

/**
 * Writes records as part files of one format under a prefix of an {@link ObjectStore}:
 * {@code <prefix>/part-00000.parquet}, {@code part-00001.parquet} ... (with the split's id in the name for
 * splits other than {@link Split#whole()}), rolling to a new file after {@code maxRecords} records or
 * {@code maxBytes} bytes. Nothing becomes visible under its final name before {@link RecordWriter#commit()}:
 * parts are written to temporary keys and renamed on commit ({@link dev.caravan.api.store.Rename}), or, on stores
 * with atomic puts and no rename (S3, Azure), put under their final key when complete and deleted again on abort.
 *
 * <p>Every commit closes the current part, so a caller that commits per batch gets one file per batch: commit at
 * file granularity. The sink is not {@link dev.caravan.api.record.ResumableSink} (file parts cannot be cut at a
 * record key), so in the default {@link WriteMode#REPLACE} mode a split that is written again replaces what an
 * earlier attempt of the same split published. Its parts can be read back ({@link ReadBack}). Thread-safe; each
 * writer is not.
 */
public final class ObjectStoreRecordSink implements RecordSink, ReadBack {
    /** What a writer does with the parts a previous run left under the same names. */
    public enum WriteMode {
        /** Continue numbering after the existing parts of the split (keeps what earlier runs wrote). */
        APPEND,
        /**
         * Number from 0 and, on the first commit, delete the split's older parts this writer did not replace, so a
         * rerun or a restarted split replaces the earlier attempt (the default).
         */
        REPLACE
    }

    /**
     * Where and how parts are written.
     *
     * @param prefix     directory of the parts, relative to the store root ({@code ""} for the root)
     * @param maxRecords records per part file, {@code 0} for no limit
     * @param maxBytes   approximate bytes per part file (checked after each record), {@code 0} for no limit
     * @param mode       append or replace
     */
    public record Layout(String prefix, long maxRecords, long maxBytes, WriteMode mode) {
        public Layout {
            prefix = prefix == null ? "" : prefix.replaceAll("^/+", "").replaceAll("/+$", "");
            Objects.requireNonNull(mode, "mode");
        }

        /** One file per split (no rolling), replacing an earlier attempt. */
        public static Layout single(String prefix) {
            return new Layout(prefix, 0, 0, WriteMode.REPLACE);
        }
    }

    private final ObjectStore store;
    private final FormatCodec codec;
    private final Config config;
    private final Layout layout;

    /**
     * @param store  target store
     * @param codec  format of the parts
     * @param config options of {@code codec} ({@code null} for its defaults)
     * @param layout prefix, rolling and mode
     */
    public ObjectStoreRecordSink(ObjectStore store, FormatCodec codec, Config config, Layout layout) {
        this.store = store;
        this.codec = codec;
        this.config = config == null ? codec.config(null) : config;
        this.layout = layout;
    }

    /** Every part under the prefix (of every split), read with {@code schema}. */
    @Override
    public RecordSource readBack(Schema schema) {
        String dir = layout.prefix().isEmpty() ? "/" : "/" + layout.prefix() + "/";
        return new ObjectStoreRecordSource(store, dir + "part-*." + codec.extension(), codec, config, schema);
    }

    @Override
    public ObjectStoreRecordWriter open(Schema schema, Split split) {
        return new ObjectStoreRecordWriter(store, codec, config, layout, schema, split == null ? Split.whole() : split);
    }
}
