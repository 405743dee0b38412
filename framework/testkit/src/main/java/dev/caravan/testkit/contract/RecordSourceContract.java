package dev.caravan.testkit.contract;

import static dev.caravan.testkit.contract.RecordFixtures.assertSameRows;
import static dev.caravan.testkit.contract.RecordFixtures.byKey;
import static dev.caravan.testkit.contract.RecordFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every keyed {@link RecordSource} must have, as one JUnit 5 suite: the schema with its key, splits
 * that cover the source without overlapping, batches in key order whose {@code lastKey} is their last record's key,
 * a stable end of data, resuming from a checkpoint with nothing lost and nothing read twice, parallel readers.
 * Every test compares the values read with the fixture written ({@link RecordFixtures}).
 *
 * <p>A connector's test extends this class and implements {@link #createTable} (write the fixture rows by the
 * database's own means, not through the sink under test) and {@link #openSource} with a batch size of at most
 * {@link #BATCH} rows, so pagination is exercised:
 *
 * <pre>{@code
 * class H2RecordSourceTest extends RecordSourceContract {
 *     protected void createTable(String table, Schema schema, List<DataRecord> rows) { ...plain JDBC... }
 *     protected RecordSource openSource(String table) { return provider.openSource(url, config(table)); }
 * }
 * }</pre>
 */
public abstract class RecordSourceContract {
    /** The batch size sources must be opened with. */
    protected static final int BATCH = 250;
    /** Rows of the main fixture: several batches per split. */
    protected static final int ROWS = 2_345;

    private final List<RecordSource> opened = new ArrayList<>();

    /** Creates {@code table} with the fixture schema's columns and key and inserts {@code rows}. */
    protected abstract void createTable(String table, Schema schema, List<DataRecord> rows);

    /** Opens the table as a source, with batches of {@link #BATCH} rows. */
    protected abstract RecordSource openSource(String table);

    private RecordSource source(String table) {
        RecordSource s = openSource(table);
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeSources() {
        opened.forEach(RecordSource::close);
    }

    private String fixture(String table, int rows) {
        createTable(table, RecordFixtures.schema(table), RecordFixtures.rows(rows, 42));
        return table;
    }

    @Test
    void schemaListsTheColumnsInOrderWithTheKey() {
        RecordSource s = source(fixture("contract_schema", 3));
        Schema schema = s.schema();
        assertThat(schema.columns()).extracting(c -> c.name().toLowerCase(java.util.Locale.ROOT))
                .containsExactly("id", "name", "amount", "ratio", "flag", "created", "day", "payload");
        assertThat(schema.keyColumns()).extracting(k -> k.toLowerCase(java.util.Locale.ROOT)).containsExactly("id");
        assertThat(schema.columns().get(0).nullable()).as("key column nullable").isFalse();
    }

    @Test
    void splitsCoverEveryRowExactlyOnce() {
        RecordSource s = source(fixture("contract_splits", ROWS));
        List<Split> splits = s.splits(4);
        assertThat(splits).as("splits").isNotEmpty().hasSizeLessThanOrEqualTo(4);
        assertThat(splits.stream().map(Split::id).distinct().count()).as("distinct split ids")
                .isEqualTo(splits.size());
        List<DataRecord> all = new ArrayList<>();
        for (Split split : splits) {
            List<DataRecord> part = readAll(s, split, Checkpoint.EMPTY);
            for (DataRecord r : part) {
                if (split.lowerBound() != null) {
                    assertThat(key(r)).as("key in split %s", split).isGreaterThan(Long.parseLong(split.lowerBound()));
                }
                if (split.upperBound() != null) {
                    assertThat(key(r)).as("key in split %s", split)
                            .isLessThanOrEqualTo(Long.parseLong(split.upperBound()));
                }
            }
            all.addAll(part);
        }
        assertSameRows(byKey(all), RecordFixtures.rows(ROWS, 42), "all splits");
    }

    @Test
    void batchesAreInKeyOrderAndEndWithTheirLastKey() {
        RecordSource s = source(fixture("contract_batches", 1_000));
        try (RecordReader reader = s.open(Split.whole(), Checkpoint.EMPTY)) {
            long previous = Long.MIN_VALUE;
            int batches = 0;
            Optional<RecordBatch> b;
            while ((b = reader.nextBatch()).isPresent()) {
                batches++;
                List<DataRecord> records = b.get().records();
                assertThat(records).as("batch %d", batches).isNotEmpty().hasSizeLessThanOrEqualTo(BATCH);
                for (DataRecord r : records) {
                    assertThat(key(r)).as("key order").isGreaterThan(previous);
                    previous = key(r);
                }
                assertThat(b.get().lastKey()).as("lastKey of batch %d", batches).isEqualTo(Long.toString(previous));
            }
            assertThat(batches).as("batches of 1000 rows with batch size %d", BATCH).isGreaterThanOrEqualTo(4);
            assertThat(reader.nextBatch()).as("after the end").isEmpty();
            assertThat(reader.nextBatch()).as("still after the end").isEmpty();
        }
    }

    @Test
    void resumesAfterTheCheckpointWithNothingLostOrRepeated() {
        RecordSource s = source(fixture("contract_resume", 1_000));
        List<DataRecord> first = new ArrayList<>();
        Checkpoint cp;
        try (RecordReader reader = s.open(Split.whole(), Checkpoint.EMPTY)) {
            assertThat(reader.checkpoint().isEmpty()).as("checkpoint before the first batch").isTrue();
            first.addAll(reader.nextBatch().orElseThrow().records());
            first.addAll(reader.nextBatch().orElseThrow().records());
            cp = reader.checkpoint();
        }
        assertThat(cp.isEmpty()).as("checkpoint after two batches").isFalse();
        List<DataRecord> rest = readAll(s, Split.whole(), cp);
        List<DataRecord> all = new ArrayList<>(first);
        all.addAll(rest);
        assertSameRows(all, RecordFixtures.rows(1_000, 42), "first two batches + resumed rest");
    }

    @Test
    void emptyTableHasNoBatches() {
        RecordSource s = source(fixture("contract_empty", 0));
        for (Split split : s.splits(4)) {
            try (RecordReader reader = s.open(split, Checkpoint.EMPTY)) {
                assertThat(reader.nextBatch()).as("batch of an empty table").isEmpty();
            }
        }
    }

    @Test
    void splitsReadInParallelGiveTheSameRows() throws Exception {
        RecordSource s = source(fixture("contract_parallel", ROWS));
        List<Split> splits = s.splits(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<DataRecord>>> parts = new ArrayList<>();
            for (Split split : splits) {
                Callable<List<DataRecord>> read = () -> readAll(s, split, Checkpoint.EMPTY);
                parts.add(pool.submit(read));
            }
            List<DataRecord> all = new ArrayList<>();
            Set<Long> keys = new HashSet<>();
            for (Future<List<DataRecord>> f : parts) {
                for (DataRecord r : f.get()) {
                    assertThat(keys.add(key(r))).as("key %d read once", key(r)).isTrue();
                    all.add(r);
                }
            }
            assertSameRows(byKey(all), RecordFixtures.rows(ROWS, 42), "parallel splits");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads a split to its end from a checkpoint. */
    protected static List<DataRecord> readAll(RecordSource s, Split split, Checkpoint from) {
        List<DataRecord> out = new ArrayList<>();
        try (RecordReader reader = s.open(split, from)) {
            Optional<RecordBatch> b;
            while ((b = reader.nextBatch()).isPresent()) {
                out.addAll(b.get().records());
            }
        }
        return out;
    }
}
