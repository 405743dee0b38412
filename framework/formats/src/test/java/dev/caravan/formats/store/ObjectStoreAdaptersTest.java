package dev.caravan.formats.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.formats.ByteSource;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.SchemaText;
import dev.caravan.formats.TestIo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreAdaptersTest {
    private static final Schema SCHEMA = SchemaText.parseSchema("t", "id:LONG NOT NULL, name:STRING");

    @TempDir
    Path dir;

    private static void put(ObjectStore store, String key, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        store.put(key, new ByteArrayInputStream(b), PutRequest.ofSize(b.length));
    }

    private static List<String> keys(ObjectStore store) {
        try (Stream<ObjectInfo> s = store.list("")) {
            return s.map(ObjectInfo::key).toList();
        }
    }

    private static List<DataRecord> rows(int from, int to) {
        List<DataRecord> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new DataRecord(new Object[] {(long) i, "name " + i}));
        }
        return out;
    }

    private ObjectStore sourceStore() {
        ObjectStore store = TestIo.store(dir.resolve("src"));
        put(store, "in/a.csv", "id,name\n1,a1\n2,a2\n3,a3\n");
        put(store, "in/b.csv", "id,name\n4,b4\n5,b5\n");
        put(store, "in/c.csv", "name,id\nc6,6\n");
        put(store, "in/sub/d.csv", "id,name\n99,not matched\n");
        put(store, "in/.e.csv.caravan-0123456789ab.partial", "id,name\n98,temporary\n");
        put(store, "other/x.csv", "id,name\n97,elsewhere\n");
        return store;
    }

    private static List<Long> readIds(RecordReader reader) {
        List<Long> ids = new ArrayList<>();
        try (reader) {
            Optional<RecordBatch> b;
            while ((b = reader.nextBatch()).isPresent()) {
                b.get().records().forEach(r -> ids.add((Long) r.get(0)));
            }
        }
        return ids;
    }

    @Test
    void sourceReadsMatchingObjectsAsSplits() {
        ObjectStoreRecordSource source = new ObjectStoreRecordSource(sourceStore(), "in/*.csv", Codecs.get("csv"),
                TestIo.config("csv", Map.of("batchSize", "2")), null);
        assertThat(source.schema().columns()).extracting(c -> c.name() + ":" + c.type()).containsExactly("id:LONG", "name:STRING");
        List<Split> perObject = source.splits(10);
        assertThat(perObject).extracting(Split::id).containsExactly("in/a.csv", "in/b.csv", "in/c.csv");
        List<Long> all = new ArrayList<>();
        perObject.forEach(s -> all.addAll(readIds(source.open(s, Checkpoint.EMPTY))));
        assertThat(all).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        List<Split> two = source.splits(2);
        assertThat(two).hasSize(2);
        List<Long> again = new ArrayList<>();
        two.forEach(s -> again.addAll(readIds(source.open(s, Checkpoint.EMPTY))));
        assertThat(again).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aCheckpointResumesAtTheObjectAndRecord() {
        ObjectStoreRecordSource source = new ObjectStoreRecordSource(sourceStore(), "in/*.csv", Codecs.get("csv"),
                TestIo.config("csv", Map.of("batchSize", "2")), null);
        for (int stopAfter = 1; stopAfter <= 4; stopAfter++) {
            List<Long> seen = new ArrayList<>();
            Checkpoint cp;
            try (RecordReader r = source.open(Split.whole(), Checkpoint.EMPTY)) {
                for (int i = 0; i < stopAfter; i++) {
                    r.nextBatch().orElseThrow().records().forEach(x -> seen.add((Long) x.get(0)));
                }
                cp = r.checkpoint();
            }
            assertThat(cp.values()).containsKeys(ObjectStoreRecordSource.KEY, ObjectStoreRecordSource.RECORD);
            seen.addAll(readIds(source.open(Split.whole(), cp)));
            assertThat(seen).as("stopped after %d batches at %s", stopAfter, cp).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        }
    }

    @Test
    void sinkRollsPartsAndPublishesThemOnlyOnCommit() {
        ObjectStore store = TestIo.store(dir.resolve("out"));
        ObjectStoreRecordSink sink = new ObjectStoreRecordSink(store, Codecs.get("parquet"), null,
                new ObjectStoreRecordSink.Layout("data/t", 4, 0, ObjectStoreRecordSink.WriteMode.APPEND));
        ObjectStoreRecordWriter w = sink.open(SCHEMA, Split.whole());
        w.write(new RecordBatch(rows(0, 10), null));
        assertThat(keys(store)).as("nothing final before commit").allMatch(TempKeys::isPartial).hasSizeBetween(2, 3);
        assertThat(w.commit().rowsWritten()).isEqualTo(10);
        assertThat(keys(store)).containsExactly("data/t/part-00000.parquet", "data/t/part-00001.parquet",
                "data/t/part-00002.parquet");
        assertThat(readAll(store)).containsExactlyElementsOf(rows(0, 10));

        ObjectStoreRecordWriter more = sink.open(SCHEMA, Split.whole());
        more.write(new RecordBatch(rows(10, 12), null));
        more.commit();
        assertThat(keys(store)).last().isEqualTo("data/t/part-00003.parquet");

        ObjectStoreRecordWriter replace = new ObjectStoreRecordSink(store, Codecs.get("parquet"), null,
                new ObjectStoreRecordSink.Layout("data/t", 0, 0, ObjectStoreRecordSink.WriteMode.REPLACE)).open(SCHEMA, Split.whole());
        replace.write(new RecordBatch(rows(100, 103), null));
        replace.commit();
        assertThat(keys(store)).containsExactly("data/t/part-00000.parquet");
        assertThat(readAll(store)).containsExactlyElementsOf(rows(100, 103));
        List<Long> readBack = new ArrayList<>();
        try (var source = sink.readBack(SCHEMA)) {
            readBack.addAll(readIds(source.open(Split.whole(), Checkpoint.EMPTY)));
        }
        assertThat(readBack).containsExactly(100L, 101L, 102L);
    }

    @Test
    void abortLeavesTheTargetAsItWasAndSplitsGetTheirOwnNames() {
        ObjectStore store = TestIo.store(dir.resolve("out"));
        ObjectStoreRecordSink sink = new ObjectStoreRecordSink(store, Codecs.get("csv"), null,
                new ObjectStoreRecordSink.Layout("", 3, 0, ObjectStoreRecordSink.WriteMode.APPEND));
        try (ObjectStoreRecordWriter w = sink.open(SCHEMA, new Split("in/a.csv", null, "in/a.csv"))) {
            w.write(new RecordBatch(rows(0, 2), null));
            w.commit();
            w.write(new RecordBatch(rows(2, 9), null));
            w.abort();
        }
        assertThat(keys(store)).containsExactly("part-in_a.csv-" + Integer.toHexString("in/a.csv".hashCode()) + "-00000.csv");
        try (ObjectStoreRecordWriter w = sink.open(SCHEMA, Split.whole())) {
            w.write(new RecordBatch(rows(0, 5), null));
            // closed without commit: aborted
        }
        assertThat(keys(store)).hasSize(1);
    }

    @Test
    void bytesRollingAndAtomicStoresWithoutRename() {
        ObjectStore local = TestIo.store(dir.resolve("out"));
        ObjectStore atomic = new ForwardingStore(local, true);
        ObjectStoreRecordSink sink = new ObjectStoreRecordSink(atomic, Codecs.get("jsonl"), null,
                new ObjectStoreRecordSink.Layout("j", 0, 2_000, ObjectStoreRecordSink.WriteMode.APPEND));
        ObjectStoreRecordWriter w = sink.open(SCHEMA, Split.whole());
        w.write(new RecordBatch(rows(0, 1000), null));
        w.commit();
        List<String> parts = keys(local);
        assertThat(parts).hasSizeGreaterThan(10).allMatch(k -> k.matches("j/part-\\d{5}\\.jsonl"));
        parts.forEach(k -> assertThat(local.stat(k).orElseThrow().size()).isBetween(1L, 2_000L + 40));
        assertThat(readAll(local)).containsExactlyElementsOf(rows(0, 1000));
        ObjectStoreRecordWriter aborted = sink.open(SCHEMA, Split.whole());
        aborted.write(new RecordBatch(rows(0, 200), null));
        aborted.abort();
        assertThat(keys(local)).isEqualTo(parts);
        assertThatThrownBy(() -> new ObjectStoreRecordSink(new ForwardingStore(local, false), Codecs.get("csv"), null,
                ObjectStoreRecordSink.Layout.single("x")).open(SCHEMA, Split.whole()))
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED));
    }

    @Test
    void aStoreThatRefusesThePutFailsTheWriterWithItsKindAndLeavesNothing() {
        ObjectStore local = TestIo.store(dir.resolve("out"));
        ObjectStore refusing = new ForwardingStore(local, true) {
            @Override
            public ObjectInfo put(String key, InputStream data, PutRequest request) {
                try {
                    data.readNBytes(10);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                throw MigrationException.userConfig("permission denied for " + key);
            }
        };
        ObjectStoreRecordWriter w = new ObjectStoreRecordSink(refusing, Codecs.get("csv"), null,
                ObjectStoreRecordSink.Layout.single("")).open(SCHEMA, Split.whole());
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1000; i++) {
                w.write(new RecordBatch(rows(i * 100, i * 100 + 100), null));
            }
            w.commit();
        }).isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("permission denied");
        w.close();
        assertThat(keys(local)).isEmpty();
    }

    private static List<DataRecord> readAll(ObjectStore store) {
        List<DataRecord> out = new ArrayList<>();
        try (Stream<ObjectInfo> s = store.list("")) {
            for (ObjectInfo o : s.toList()) {
                try (FormatReader r = Codecs.forKey(o.key()).orElseThrow().decoder(ByteSource.of(store, o), SCHEMA, null)) {
                    out.addAll(TestIo.readAll(r));
                }
            }
        }
        return out;
    }
}
