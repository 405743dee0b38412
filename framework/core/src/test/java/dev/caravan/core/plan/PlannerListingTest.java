package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The planner opens the target's listing on a thread of its own while it opens the source's (their first round
 * trips overlap), and a source that cannot be listed still fails the plan with its own error, the target's listing
 * closed.
 */
class PlannerListingTest {
    private final JdbcJournal journal = JdbcJournal.open("jdbc:h2:mem:planner-listing-" + System.nanoTime());

    @AfterEach
    void close() {
        journal.close();
    }

    @Test
    void theTargetIsListedWhileTheSourceIsBeingListed() {
        CountDownLatch targetListing = new CountDownLatch(1);
        ForwardingStore target = new ForwardingStore(store("pl-dst")) {
            @Override
            public Stream<ObjectInfo> list(String prefix) {
                targetListing.countDown();
                return super.list(prefix);
            }
        };
        MemoryStore sourceObjects = store("pl-src");
        sourceObjects.add("b", new byte[] {2, 3}, Instant.parse("2026-01-01T00:00:00Z"));
        ForwardingStore source = new ForwardingStore(sourceObjects) {
            @Override
            public Stream<ObjectInfo> list(String prefix) {
                await(targetListing); // the source's first page waits for the target's listing to begin
                return super.list(prefix);
            }
        };

        try (Planner planner = new Planner(spec(), source, target, journal)) {
            assertThat(targetListing.getCount()).isZero();
            Iterator<PlannedTask> tasks = planner.tasks();
            assertThat(tasks.next().spec().item()).as("the plan goes on as before").isEqualTo("b");
            assertThat(tasks.hasNext()).isFalse();
        }
    }

    @Test
    void aSourceThatCannotBeListedFailsThePlanWithItsOwnErrorAndTheTargetListingIsClosed() throws Exception {
        CountDownLatch targetClosed = new CountDownLatch(1);
        ForwardingStore target = new ForwardingStore(store("pl-dst2")) {
            @Override
            public Stream<ObjectInfo> list(String prefix) {
                return super.list(prefix).onClose(targetClosed::countDown);
            }
        };
        ForwardingStore source = new ForwardingStore(store("pl-src2")) {
            @Override
            public Stream<ObjectInfo> list(String prefix) {
                throw MigrationException.notFound("no such bucket");
            }
        };

        assertThatThrownBy(() -> new Planner(spec(), source, target, journal)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("no such bucket");
        assertThat(targetClosed.await(10, TimeUnit.SECONDS)).as("the target's listing closed").isTrue();
    }

    private static MemoryStore store(String name) {
        MemoryStore store = new MemoryStore(name);
        store.add("a", new byte[] {1}, Instant.parse("2026-01-01T00:00:00Z"));
        return store;
    }

    private static MigrationSpec spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").mode(Mode.COPY).compare(Compare.SIZE_MTIME).build();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the target was not listed while the source was");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
