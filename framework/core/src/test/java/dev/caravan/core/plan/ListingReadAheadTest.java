package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A listing read ahead on its own thread: same order, failures where they happened, a clean stop. */
class ListingReadAheadTest {
    @Test
    void everyObjectArrivesInTheListingsOrder() {
        try (Stream<Integer> s = ListingReadAhead.of(IntStream.range(0, 10_000).boxed(), 16, "test-list")) {
            assertThat(s.toList()).containsExactlyElementsOf(IntStream.range(0, 10_000).boxed().toList());
        }
    }

    @Test
    void theListingIsReadWhileThePlannerHasNotAskedYetButNoFurtherThanTheCapacity() throws InterruptedException {
        AtomicInteger listed = new AtomicInteger();
        Stream<Integer> listing = IntStream.range(0, 1000).boxed().peek(i -> listed.incrementAndGet());
        try (Stream<Integer> s = ListingReadAhead.of(listing, 16, "test-list")) {
            // 16 queued and one more waiting for room
            for (long deadline = System.nanoTime() + 10_000_000_000L; listed.get() < 17
                    && System.nanoTime() < deadline; ) {
                Thread.sleep(5);
            }
            Thread.sleep(50); // and no further
            assertThat(listed.get()).isEqualTo(17);
            assertThat(s.limit(3).toList()).containsExactly(0, 1, 2);
        }
    }

    @Test
    void aFailureComesAfterTheObjectsListedBeforeIt() {
        Iterator<Integer> failing = new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                if (i == 3) {
                    throw new MigrationException(ErrorKind.TRANSIENT, "page 2 refused");
                }
                return true;
            }

            @Override
            public Integer next() {
                return i++;
            }
        };
        Stream<Integer> listing = Stream.iterate(0, x -> x).map(x -> failing.hasNext() ? failing.next() : -1);
        try (Stream<Integer> s = ListingReadAhead.of(listing, 16, "test-list")) {
            Iterator<Integer> it = s.iterator();
            assertThat(List.of(it.next(), it.next(), it.next())).containsExactly(0, 1, 2);
            assertThatThrownBy(it::hasNext).isInstanceOf(MigrationException.class).hasMessage("page 2 refused");
        }
    }

    @Test
    void closingStopsTheReaderBeforeTheListingIsClosed() {
        AtomicBoolean closed = new AtomicBoolean();
        AtomicBoolean readAfterClose = new AtomicBoolean();
        Stream<Integer> listing = Stream.iterate(0, i -> i + 1).peek(i -> readAfterClose.compareAndSet(false, closed.get()))
                .onClose(() -> closed.set(true));
        Stream<Integer> s = ListingReadAhead.of(listing, 8, "test-list");
        assertThat(s.iterator().next()).isZero();

        s.close();

        assertThat(closed).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-list"));
        assertThat(readAfterClose).isFalse();
    }
}
