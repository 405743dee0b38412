package dev.caravan.formats.store;

import dev.caravan.api.config.Config;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.WriteReport;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.Rename;
import dev.caravan.formats.FormatCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The writer of an {@link ObjectStoreRecordSink}: rolling part files, published on {@link #commit()}. Each commit
 * closes the current part, so commit at file granularity (the record engine's batch commit makes one part per
 * commit). A recoverable {@link dev.caravan.formats.DataError} from {@link #write(DataRecord)} leaves the writer
 * usable. Not thread-safe.
 */
public final class ObjectStoreRecordWriter implements RecordWriter {
    private record Finished(String finalKey, String writeKey, long records, long bytes) {
    }

    private final ObjectStore store;
    private final FormatCodec codec;
    private final Config config;
    private final ObjectStoreRecordSink.Layout layout;
    private final Schema schema;
    private final Optional<Rename> rename;
    private final String dir;
    private final String base;
    private final Pattern partName;
    private final List<Finished> pending = new ArrayList<>();
    private final List<String> published = new ArrayList<>();
    private final Set<String> existingAtOpen = new HashSet<>();
    private PartUpload current;
    private int nextNumber;
    private long uncommittedRecords;
    private long committedRecords;
    private long bytes;
    private boolean replacedOld;

    ObjectStoreRecordWriter(ObjectStore store, FormatCodec codec, Config config, ObjectStoreRecordSink.Layout layout,
            Schema schema, Split split) {
        this.store = store;
        this.codec = codec;
        this.config = config;
        this.layout = layout;
        this.schema = schema;
        boolean atomic = store.features().atomicPut();
        this.rename = atomic ? Optional.empty() : store.capability(Rename.class);
        if (!atomic && rename.isEmpty()) {
            throw MigrationException.unsupported(store.uri() + " has neither atomic puts nor rename, so part files "
                    + "could be seen half-written; write to another store or through a local staging directory");
        }
        this.dir = layout.prefix().isEmpty() ? "" : layout.prefix() + "/";
        this.base = "part-" + splitTag(split);
        this.partName = Pattern.compile(Pattern.quote(base) + "(\\d{5,})\\." + Pattern.quote(codec.extension()));
        int highest = -1;
        try (Stream<ObjectInfo> listing = list()) {
            for (ObjectInfo o : (Iterable<ObjectInfo>) listing::iterator) {
                String name = o.key().substring(dir.length());
                if (name.contains("/")) {
                    continue;
                }
                if (TempKeys.isPartial(o.key()) && name.startsWith("." + base)) {
                    store.delete(o.key()); // leftover of a killed run of this split
                    continue;
                }
                Matcher m = partName.matcher(name);
                if (m.matches()) {
                    existingAtOpen.add(o.key());
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
        }
        this.nextNumber = layout.mode() == ObjectStoreRecordSink.WriteMode.APPEND ? highest + 1 : 0;
    }

    private Stream<ObjectInfo> list() {
        try {
            return store.list(dir);
        } catch (MigrationException e) {
            if (e.kind() == dev.caravan.api.error.ErrorKind.NOT_FOUND) {
                return Stream.empty();
            }
            throw e;
        }
    }

    private static String splitTag(Split split) {
        if (split.id() == null || split.id().equals(Split.whole().id())) {
            return "";
        }
        String clean = split.id().replaceAll("[^A-Za-z0-9._-]", "_");
        if (clean.length() > 40 || !clean.equals(split.id())) {
            String hash = Integer.toHexString(split.id().hashCode());
            clean = clean.substring(0, Math.min(clean.length(), 40)) + "-" + hash;
        }
        return clean + "-";
    }

    @Override
    public void write(RecordBatch batch) {
        for (DataRecord r : batch.records()) {
            write(r);
        }
    }

    /** Writes one record, rolling to a new part when the current one is full. */
    public void write(DataRecord record) {
        openPart();
        current.write(record);
        uncommittedRecords++;
        if (layout.maxRecords() > 0 && current.records() >= layout.maxRecords()
                || layout.maxBytes() > 0 && current.bytes() >= layout.maxBytes()) {
            finishPart();
        }
    }

    private void openPart() {
        if (current == null) {
            String key = dir + base + String.format("%05d", nextNumber++) + "." + codec.extension();
            ObjectKeys.requireSafe(key);
            current = new PartUpload(store, key, rename.isPresent() ? TempKeys.partial(key) : key, codec, config, schema);
        }
    }

    /**
     * Makes the next {@link #commit()} publish a part even when no record was written since the last one, so that an
     * input of no records still leaves a file with the schema (a CSV header, a Parquet footer) instead of none.
     */
    public void ensurePart() {
        if (pending.isEmpty()) {
            openPart();
        }
    }

    private void finishPart() {
        PartUpload part = current;
        current = null;
        ObjectInfo info = part.finish();
        long size = info != null && info.size() >= 0 ? info.size() : part.bytes();
        pending.add(new Finished(part.finalKey, part.writeKey, part.records(), size));
    }

    @Override
    public WriteReport commit() {
        if (current != null) {
            finishPart();
        }
        String last = null;
        for (Finished f : pending) {
            if (rename.isPresent()) {
                rename.get().rename(f.writeKey(), f.finalKey());
            }
            published.add(f.finalKey());
            bytes += f.bytes();
            last = f.finalKey();
        }
        pending.clear();
        if (layout.mode() == ObjectStoreRecordSink.WriteMode.REPLACE && !replacedOld) {
            replacedOld = true;
            for (String old : existingAtOpen) {
                if (!published.contains(old)) {
                    store.delete(old);
                }
            }
        }
        long n = uncommittedRecords;
        committedRecords += n;
        uncommittedRecords = 0;
        return new WriteReport(n, 0, last);
    }

    @Override
    public void abort() {
        if (current != null) {
            current.abort();
            current = null;
        }
        for (Finished f : pending) {
            try {
                store.delete(f.writeKey());
            } catch (RuntimeException e) {
                // best effort; the next open of this split removes leftovers
            }
        }
        pending.clear();
        uncommittedRecords = 0;
    }

    @Override
    public void close() {
        if (current != null || !pending.isEmpty()) {
            abort();
        }
    }

    /** Keys of the parts published so far, in order. */
    public List<String> files() {
        return List.copyOf(published);
    }

    /** Bytes of the parts published so far. */
    public long bytesWritten() {
        return bytes;
    }

    /** Records in the parts published so far. */
    public long recordsCommitted() {
        return committedRecords;
    }
}
