package dev.caravan.formats.store;

import dev.caravan.api.config.Config;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.formats.ByteSource;
import dev.caravan.formats.CommonOptions;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatCodec;
import dev.caravan.formats.FormatReader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads every object of an {@link ObjectStore} that matches a glob as records of one format. Objects are read in
 * key order; each object is a split when there are at most {@code parallelism} of them, otherwise consecutive
 * objects are grouped into {@code parallelism} key ranges. The schema is the given one, else the codec's
 * {@code schema} option, else the schema of the first object (from the file, or inferred); later objects are read
 * with it (columns matched by name and cast). Checkpoints hold the object key and the record offset in it
 * ({@value #KEY}, {@value #RECORD}, {@value #DONE}). Temporary {@code .partial} objects are never read.
 * Thread-safe; readers are not.
 */
public final class ObjectStoreRecordSource implements RecordSource {
    /** Checkpoint key: the object being read. */
    public static final String KEY = "objects.key";
    /** Checkpoint key: records of that object consumed by the batches returned (or rejected). */
    public static final String RECORD = "objects.record";
    /** Checkpoint key: {@code true} when that object was read to its end. */
    public static final String DONE = "objects.done";

    private final ObjectStore store;
    private final ObjectGlob glob;
    private final FormatCodec codec;
    private final Config config;
    private volatile Schema schema;
    /** The object the schema was taken from, or {@code null} when it was given. */
    private volatile String schemaObject;

    /**
     * @param store  where the objects are
     * @param glob   which objects (see {@link ObjectGlob})
     * @param codec  their format
     * @param config options of {@code codec} ({@code null} for its defaults)
     * @param schema the schema to read with, or {@code null} to take it from the config or the first object
     */
    public ObjectStoreRecordSource(ObjectStore store, String glob, FormatCodec codec, Config config, Schema schema) {
        this.store = store;
        this.glob = ObjectGlob.of(glob);
        this.codec = codec;
        this.config = config == null ? codec.config(null) : config;
        this.schema = schema != null ? schema : CommonOptions.givenSchema(null, this.config, "records");
    }

    /** The matching objects in key order; a lazy stream that must be closed. */
    public Stream<ObjectInfo> objects() {
        return store.list(glob.prefix()).filter(o -> glob.matches(o.key()) && !TempKeys.isPartial(o.key()));
    }

    /** Which objects are read. */
    public ObjectGlob glob() {
        return glob;
    }

    public FormatCodec codec() {
        return codec;
    }

    public Config config() {
        return config;
    }

    public ObjectStore store() {
        return store;
    }

    /**
     * Opens a reader on one object with this source's schema. When that schema was taken from the first object and
     * the format reads only the requested columns (Avro, Parquet), a column this object has and the schema has not
     * is a {@link DataError} (schema drift would otherwise drop its values silently).
     */
    public FormatReader open(ObjectInfo object) {
        Schema s = schema();
        String from = schemaObject;
        if (from != null && !from.equals(object.key()) && codec.skipsUnrequestedColumns()) {
            Schema own;
            try (FormatReader reader = codec.decoder(ByteSource.of(store, object), null, config)) {
                own = reader.schema();
            }
            for (Column c : own.columns()) {
                if (s.columns().stream().noneMatch(k -> k.name().equalsIgnoreCase(c.name()))) {
                    throw DataError.fatal(object.key(), 0, 0, "column '" + c.name() + "' is not in the schema "
                            + s.columns().stream().map(Column::name).toList() + " taken from the first object " + from
                            + "; give the columns to read with the schema option (its columns are read, the others"
                            + " left out)", null);
                }
            }
        }
        return codec.decoder(ByteSource.of(store, object), s, config);
    }

    @Override
    public Schema schema() {
        Schema s = schema;
        if (s == null) {
            synchronized (this) {
                if (schema == null) {
                    ObjectInfo first;
                    try (Stream<ObjectInfo> objects = objects()) {
                        first = objects.findFirst().orElseThrow(() -> MigrationException.notFound("no object in "
                                + store.uri() + " matches '" + glob + "'"));
                    }
                    try (FormatReader reader = codec.decoder(ByteSource.of(store, first), null, config)) {
                        schemaObject = first.key();
                        schema = reader.schema();
                    }
                }
                s = schema;
            }
        }
        return s;
    }

    @Override
    public List<Split> splits(int parallelism) {
        List<String> keys = new ArrayList<>();
        try (Stream<ObjectInfo> objects = objects()) {
            objects.forEach(o -> keys.add(o.key()));
        }
        List<Split> splits = new ArrayList<>();
        if (keys.isEmpty()) {
            return splits;
        }
        int groups = Math.max(1, Math.min(parallelism, keys.size()));
        String lower = null;
        for (int g = 0; g < groups; g++) {
            int end = (int) ((long) keys.size() * (g + 1) / groups) - 1;
            String upper = keys.get(end);
            boolean single = keys.size() <= parallelism;
            String id = single ? upper : "objects(" + (lower == null ? "" : lower) + "," + upper + "]";
            splits.add(new Split(id, lower, g == groups - 1 ? null : upper));
            lower = upper;
        }
        return splits;
    }

    @Override
    public RecordReader open(Split split, Checkpoint from) {
        Split s = split == null ? Split.whole() : split;
        return new SplitReader(this, s, from == null ? Checkpoint.EMPTY : from);
    }

    /** Whether {@code key} is inside the split's range (lower exclusive, upper inclusive). */
    static boolean inRange(Split s, String key) {
        return (s.lowerBound() == null || ObjectKeys.ORDER.compare(key, s.lowerBound()) > 0)
                && (s.upperBound() == null || ObjectKeys.ORDER.compare(key, s.upperBound()) <= 0);
    }
}
