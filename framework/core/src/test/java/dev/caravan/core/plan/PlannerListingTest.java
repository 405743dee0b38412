package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.testing.MemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The planner lists the target while it lists the source, and a failed listing leaves nothing open. */
class PlannerListingTest {
    private static final MigrationSpec SPEC = MigrationSpec.builder("mem:listing-src", "mem:listing-dst").build();

    @Test
    void theTargetIsListedWhileTheSourceIs() throws Exception {
        CountDownLatch targetListing = new CountDownLatch(1);
        boolean[] overlapped = new boolean[1];
        ObjectStore source = listing(new MemoryStore("listing-src"), list -> {
            try {
                overlapped[0] = targetListing.await(5, TimeUnit.SECONDS); // sequential listing would wait in vain
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return list;
        });
        ObjectStore target = listing(new MemoryStore("listing-dst"), list -> {
            targetListing.countDown();
            return list;
        });

        try (Planner planner = new Planner(SPEC, source, target)) {
            assertThat(overlapped[0]).isTrue();
            assertThat(planner.tasks().hasNext()).isFalse();
        }
    }

    @Test
    void aSourceThatCannotBeListedFailsThePlanAndTheTargetListingIsClosed() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        ObjectStore source = listing(new MemoryStore("listing-src2"), list -> {
            throw MigrationException.userConfig("no such source");
        });
        ObjectStore target = listing(new MemoryStore("listing-dst2"), list -> list.onClose(closed::countDown));

        MigrationException e = catchThrowableOfType(() -> new Planner(SPEC, source, target), MigrationException.class);

        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e).hasMessageContaining("no such source");
        assertThat(closed.await(5, TimeUnit.SECONDS)).as("the target's listing closed").isTrue();
    }

    @Test
    void aTargetThatCannotBeListedFailsThePlanWithItsOwnErrorAndTheSourceListingIsClosed() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        ObjectStore source = listing(new MemoryStore("listing-src3"), list -> list.onClose(closed::countDown));
        ObjectStore target = listing(new MemoryStore("listing-dst3"), list -> {
            throw new MigrationException(ErrorKind.FATAL, "target broken");
        });

        MigrationException e = catchThrowableOfType(() -> new Planner(SPEC, source, target), MigrationException.class);

        assertThat(e).hasMessage("target broken");
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    /** {@code store}, with what its {@code list} returns passed through {@code onList}. */
    @SuppressWarnings("unchecked")
    private static ObjectStore listing(MemoryStore store, UnaryOperator<Stream<?>> onList) {
        return (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(), new Class<?>[] {ObjectStore.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(store, args);
                        return method.getName().equals("list") ? onList.apply((Stream<?>) result) : result;
                    } catch (InvocationTargetException ex) {
                        throw ex.getCause();
                    }
                });
    }
}
