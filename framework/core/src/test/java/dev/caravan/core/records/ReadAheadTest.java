package dev.caravan.core.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The read-ahead between a split's reader and its writer: order, checkpoints, failures, closing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadAheadTest {

    /** A reader of {@code batches} one-row batches (endless when negative) that fails with {@code failure} after. */
    private static final class Numbers implements RecordReader {
        final AtomicInteger calls = new AtomicInteger();
        private final int batches;
        private final Throwable failure;
        private int next;

        Numbers(int batches, Throwable failure) {
            this.batches = batches;
            this.failure = failure;
        }

        @Override
        public Optional<RecordBatch> nextBatch() {
            calls.incrementAndGet();
            if (batches >= 0 && next >= batches) {
                if (failure instanceof RuntimeException re) {
                    throw re;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                return Optional.empty();
            }
            next++;
            return Optional.of(new RecordBatch(List.of(new DataRecord(new Object[] {(long) next})),
                    Long.toString(next)));
        }

        @Override
        public Checkpoint checkpoint() {
            return new Checkpoint(Map.of("test.last", Integer.toString(next)));
        }

        @Override
        public void close() {
        }
    }

    private static List<String> drain(ReadAhead ra, List<String> states) {
        List<String> keys = new ArrayList<>();
        ReadAhead.Item item;
        while ((item = ra.next()) != null) {
            keys.add(item.batch().lastKey());
            states.add(item.readerState().get("test.last"));
        }
        return keys;
    }

    @Test
    void handsOverEveryBatchInOrderWithTheReadersCheckpointAfterIt() {
        List<String> states = new ArrayList<>();
        try (ReadAhead ra = new ReadAhead(new Numbers(50, null), b -> b, 2, "test-read")) {
            assertThat(drain(ra, states)).hasSize(50).startsWith("1", "2").endsWith("50");
            assertThat(ra.next()).as("the end stays the end").isNull();
        }
        assertThat(states).as("each batch's own checkpoint, though the reader ran ahead").startsWith("1", "2", "3")
                .endsWith("50");
    }

    @Test
    void depthZeroReadsOnTheCallersThread() {
        MigrationException boom = MigrationException.userConfig("source gone");
        List<String> states = new ArrayList<>();
        try (ReadAhead ra = new ReadAhead(new Numbers(3, null), b -> b, 0, "unused")) {
            assertThat(drain(ra, states)).containsExactly("1", "2", "3");
            assertThat(ra.next()).isNull();
        }
        assertThat(states).containsExactly("1", "2", "3");
        try (ReadAhead ra = new ReadAhead(new Numbers(1, boom), b -> b, 0, "unused")) {
            assertThat(ra.next().batch().lastKey()).isEqualTo("1");
            assertThatThrownBy(ra::next).isSameAs(boom);
        }
    }

    @Test
    void appliesTheMappingOnTheReadingThread() {
        try (ReadAhead ra = new ReadAhead(new Numbers(3, null), b -> new RecordBatch(b.records(), "m" + b.lastKey()),
                1, "test-read")) {
            assertThat(drain(ra, new ArrayList<>())).containsExactly("m1", "m2", "m3");
        }
    }

    @Test
    void aReaderFailureComesAfterTheBatchesReadBeforeIt() {
        MigrationException boom = MigrationException.userConfig("source gone");
        try (ReadAhead ra = new ReadAhead(new Numbers(3, boom), b -> b, 2, "test-read")) {
            assertThat(ra.next().batch().lastKey()).isEqualTo("1");
            assertThat(ra.next().batch().lastKey()).isEqualTo("2");
            assertThat(ra.next().batch().lastKey()).isEqualTo("3");
            assertThatThrownBy(ra::next).isSameAs(boom);
        }
    }

    @Test
    void anErrorOfTheReaderIsRethrownAsItIs() {
        AssertionError dead = new AssertionError("process dies");
        try (ReadAhead ra = new ReadAhead(new Numbers(0, dead), b -> b, 2, "test-read")) {
            assertThatThrownBy(ra::next).isSameAs(dead);
        }
    }

    @Test
    void closingStopsAReaderThatIsAheadAndWaitsForIt() {
        Numbers endless = new Numbers(-1, null);
        ReadAhead ra = new ReadAhead(endless, b -> b, 2, "test-read");
        assertThat(ra.next().batch().lastKey()).isEqualTo("1");

        ra.close(); // returns only once the reading thread has ended

        int calls = endless.calls.get();
        assertThat(calls).as("the reader stays at most a few batches ahead").isLessThanOrEqualTo(5);
        assertThat(endless.calls.get()).as("and reads nothing after close").isEqualTo(calls);
    }
}
