package dev.caravan.formats.store;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.Split;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatReader;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the objects of one split in key order, one object per batch boundary (a batch never spans two objects,
 * so a checkpoint is exactly an object key and a record offset). A recoverable {@link DataError} is thrown and
 * the next call continues after the bad record.
 */
final class SplitReader implements RecordReader {
    private final ObjectStoreRecordSource source;
    private final Stream<ObjectInfo> listing;
    private final Iterator<ObjectInfo> objects;
    private String resumeKey;
    private long resumeRecord;
    private boolean resumeDone;
    private FormatReader current;
    private String currentKey;
    private long consumed;
    private Checkpoint checkpoint;

    SplitReader(ObjectStoreRecordSource source, Split split, Checkpoint from) {
        this.source = source;
        this.listing = source.objects().filter(o -> ObjectStoreRecordSource.inRange(split, o.key()));
        this.objects = listing.iterator();
        this.resumeKey = from.get(ObjectStoreRecordSource.KEY);
        this.resumeRecord = from.get(ObjectStoreRecordSource.RECORD) == null ? 0
                : Long.parseLong(from.get(ObjectStoreRecordSource.RECORD));
        this.resumeDone = Boolean.parseBoolean(from.get(ObjectStoreRecordSource.DONE));
        this.checkpoint = from;
    }

    @Override
    public Optional<RecordBatch> nextBatch() {
        while (true) {
            if (current == null && !openNext()) {
                return Optional.empty();
            }
            Optional<RecordBatch> batch;
            try {
                batch = current.nextBatch();
            } catch (DataError e) {
                if (e.recoverable()) {
                    consumed++;
                    mark(false);
                }
                throw e;
            }
            if (batch.isPresent()) {
                consumed += batch.get().records().size();
                mark(false);
                return batch;
            }
            mark(true);
            current.close();
            current = null;
        }
    }

    private boolean openNext() {
        while (objects.hasNext()) {
            ObjectInfo o = objects.next();
            long skip = 0;
            if (resumeKey != null) {
                int c = ObjectKeys.ORDER.compare(o.key(), resumeKey);
                if (c < 0 || c == 0 && resumeDone) {
                    continue;
                }
                if (c == 0) {
                    skip = resumeRecord;
                }
                resumeKey = null;
            }
            current = source.open(o);
            currentKey = o.key();
            current.skip(skip);
            consumed = skip;
            return true;
        }
        return false;
    }

    private void mark(boolean done) {
        checkpoint = new Checkpoint(Map.of(ObjectStoreRecordSource.KEY, currentKey,
                ObjectStoreRecordSource.RECORD, Long.toString(consumed),
                ObjectStoreRecordSource.DONE, Boolean.toString(done)));
    }

    @Override
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
        listing.close();
    }
}
