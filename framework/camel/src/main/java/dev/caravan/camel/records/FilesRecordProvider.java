package dev.caravan.camel.records;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.record.ReadBack;
import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.SinkTables;
import dev.caravan.api.record.Split;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.camel.support.OptionPairs;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.FormatCodec;
import dev.caravan.formats.store.ObjectStoreRecordSink;
import dev.caravan.formats.store.ObjectStoreRecordSource;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The {@code files} record connector: record files of one format in any object store, as a record source or sink
 * of the record-migration engine. The location is an object-store location, {@code files:local:/data/out} or
 * {@code files:s3:bucket/prefix}. A source reads every object matching {@code include} in one split (its
 * checkpoints are object and record positions, which a keyed sink could not use as row keys, so it presents no key
 * columns and no key ranges: a database target treats the load as keyless and reloads it when it runs again); a
 * sink writes part files under {@code prefix} and, for a whole-database
 * source, one folder per table ({@link SinkTables}). It is not found by ServiceLoader: the
 * {@code caravan-records:} component adds it to the connectors it gets (and builds its locations from the
 * {@code sourceFormat} / {@code targetFormat} options). Stateless and thread-safe.
 */
public final class FilesRecordProvider implements RecordProvider {
    /** The URI scheme. */
    public static final String SCHEME = "files";

    static final OptionDef FORMAT = OptionDef.of("format", OptionType.STRING,
            "Format of the files: csv, jsonl, avro or parquet.").asRequired()
            .withValidator(v -> {
                try {
                    Codecs.get(v);
                    return null;
                } catch (RuntimeException e) {
                    return e.getMessage();
                }
            });
    static final OptionDef INCLUDE = OptionDef.of("include", OptionType.STRING,
            "Source: glob of the objects to read (* within a folder, ** across). Default: **/*.<extension of the "
                    + "format>.");
    static final OptionDef PREFIX = OptionDef.of("prefix", OptionType.STRING,
            "Sink: folder of the part files, relative to the location. A whole-database source writes each table to"
                    + " <prefix>/<table>/.").withDefault("");
    static final OptionDef MAX_RECORDS = OptionDef.of("maxRecordsPerFile", OptionType.LONG,
            "Sink: roll to a new part file after this many records (0: no limit).").withDefault("0");
    static final OptionDef MAX_BYTES = OptionDef.of("maxBytesPerFile", OptionType.SIZE,
            "Sink: roll to a new part file after about this many bytes, e.g. 128M (0: no limit).").withDefault("0");
    static final OptionDef MODE = OptionDef.of("mode", OptionType.ENUM,
            "Sink: replace (a rerun replaces the parts of the previous run) or append (adds parts after them).")
            .withAllowed("replace", "append").withDefault("replace");
    static final OptionDef FORMAT_OPTIONS = OptionDef.of("formatOptions", OptionType.STRING,
            "Options of the format's codec as name=value;name=value (e.g. delimiter=\\;;header=true or "
                    + "compression=zstd); a backslash escapes ; = and itself.").withValidator(OptionPairs::check);
    static final OptionDef STORE_OPTIONS = OptionDef.of("storeOptions", OptionType.STRING,
            "Options of the object-store connector as name=value;name=value (e.g. endpoint=http://...;region=x). "
                    + "Masked, as they may hold credentials.").asSecret().withValidator(OptionPairs::check);

    private static final Options OPTIONS = Options.of("connector files", FORMAT, INCLUDE, PREFIX, MAX_RECORDS,
            MAX_BYTES, MODE, FORMAT_OPTIONS, STORE_OPTIONS);

    private final Supplier<ConnectorRegistry> stores;

    /** @param stores the connectors that open the object stores (looked up on first use) */
    public FilesRecordProvider(Supplier<ConnectorRegistry> stores) {
        this.stores = stores;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String description() {
        return "Record files (csv, jsonl, avro, parquet) in any object store (location: an object-store location)";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public RecordSource openSource(String location, Config config) {
        Config c = config == null ? OPTIONS.resolve(java.util.Map.of()) : config;
        FormatCodec codec = Codecs.get(c.string(FORMAT.name()));
        String include = c.get(INCLUDE.name()).filter(s -> !s.isBlank()).orElse("**/*." + codec.extension());
        ObjectStore store = open(location, c);
        try {
            return new StoreSource(new ObjectStoreRecordSource(store, include, codec, codecConfig(codec, c), null),
                    store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public RecordSink openSink(String location, Config config) {
        Config c = config == null ? OPTIONS.resolve(java.util.Map.of()) : config;
        FormatCodec codec = Codecs.get(c.string(FORMAT.name()));
        ObjectStore store = open(location, c);
        return new FilesSink(store, codec, codecConfig(codec, c), c.get(PREFIX.name()).orElse(""),
                c.longValue(MAX_RECORDS.name(), 0), c.size(MAX_BYTES.name()).orElse(0L),
                ObjectStoreRecordSink.WriteMode.valueOf(c.string(MODE.name()).toUpperCase(Locale.ROOT)));
    }

    private ObjectStore open(String location, Config c) {
        return stores.get().openStore(location, OptionPairs.parse(STORE_OPTIONS.name(),
                c.get(STORE_OPTIONS.name()).orElse(null)));
    }

    private static Config codecConfig(FormatCodec codec, Config c) {
        return codec.config(OptionPairs.parse(FORMAT_OPTIONS.name(), c.get(FORMAT_OPTIONS.name()).orElse(null)));
    }

    /** A source that closes its store. */
    private record StoreSource(ObjectStoreRecordSource delegate, ObjectStore store) implements RecordSource {
        @Override
        public Schema schema() {
            Schema s = delegate.schema();
            return new Schema(s.name(), s.columns(), java.util.List.of());
        }

        @Override
        public java.util.List<Split> splits(int parallelism) {
            return java.util.List.of(Split.whole());
        }

        @Override
        public dev.caravan.api.record.RecordReader open(Split split, dev.caravan.api.journal.Checkpoint from) {
            return delegate.open(split, from);
        }

        @Override
        public <C extends dev.caravan.api.record.RecordCapability> java.util.Optional<C> capability(Class<C> type) {
            return delegate.capability(type);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** Part files under a prefix; per table under {@code <prefix>/<table>} for whole-database sources. */
    private static final class FilesSink implements RecordSink, ReadBack, SinkTables {
        private final ObjectStore store;
        private final FormatCodec codec;
        private final Config config;
        private final String prefix;
        private final long maxRecords;
        private final long maxBytes;
        private final ObjectStoreRecordSink.WriteMode mode;
        private final ObjectStoreRecordSink parts;
        private final boolean owner;

        FilesSink(ObjectStore store, FormatCodec codec, Config config, String prefix, long maxRecords, long maxBytes,
                ObjectStoreRecordSink.WriteMode mode) {
            this(store, codec, config, prefix, maxRecords, maxBytes, mode, true);
        }

        private FilesSink(ObjectStore store, FormatCodec codec, Config config, String prefix, long maxRecords,
                long maxBytes, ObjectStoreRecordSink.WriteMode mode, boolean owner) {
            this.store = store;
            this.codec = codec;
            this.config = config;
            this.prefix = prefix;
            this.maxRecords = maxRecords;
            this.maxBytes = maxBytes;
            this.mode = mode;
            this.owner = owner;
            this.parts = new ObjectStoreRecordSink(store, codec, config, new ObjectStoreRecordSink.Layout(prefix,
                    maxRecords, maxBytes, mode));
        }

        @Override
        public RecordWriter open(Schema schema, Split split) {
            return parts.open(schema, split);
        }

        @Override
        public RecordSource readBack(Schema schema) {
            return new KeyRangeSource(parts.readBack(schema), schema);
        }

        @Override
        public RecordSink table(String sourceTable) {
            String folder = prefix.isEmpty() ? sourceTable : prefix.replaceAll("/+$", "") + "/" + sourceTable;
            return new FilesSink(store, codec, config, folder, maxRecords, maxBytes, mode, false);
        }

        @Override
        public void close() {
            if (owner) {
                store.close();
            }
        }
    }
}
