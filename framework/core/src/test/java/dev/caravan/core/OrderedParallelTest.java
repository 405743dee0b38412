package dev.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Jobs on several threads, results in the jobs' order, a bounded number of jobs taken ahead. */
class OrderedParallelTest {

    @Test
    void resultsComeInTheJobsOrderWhicheverJobEndsFirstAndFewJobsAreTakenAhead() throws Exception {
        CountDownLatch lastStarted = new CountDownLatch(1);
        AtomicInteger pulled = new AtomicInteger();
        int threads = 4;
        Iterator<Callable<Integer>> jobs = IntStream.range(0, 100).<Callable<Integer>>mapToObj(i -> () -> {
            if (i == 0) { // the first job ends only once the last of the first window has started
                assertThat(lastStarted.await(10, TimeUnit.SECONDS)).isTrue();
            }
            if (i == 2 * threads - 1) {
                lastStarted.countDown();
            }
            return i;
        }).peek(j -> pulled.incrementAndGet()).iterator();
        List<Integer> out = new ArrayList<>();
        try (OrderedParallel<Integer> results = new OrderedParallel<>(jobs, threads, "test", "testing")) {
            assertThat(results.hasNext()).isTrue();
            assertThat(pulled.get()).as("jobs taken ahead").isEqualTo(2 * threads);
            results.forEachRemaining(out::add);
        }
        assertThat(out).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
    }

    @Test
    void readyResultsKeepTheirPlaceAndAFailureIsRethrownWhenItsResultIsDue() {
        List<Callable<String>> jobs = List.of(OrderedParallel.ready("a"), () -> "b", () -> {
            throw MigrationException.userData("bad c");
        }, () -> "d");
        try (OrderedParallel<String> results = new OrderedParallel<>(jobs.iterator(), 2, "test", "testing")) {
            assertThat(results.next()).isEqualTo("a");
            assertThat(results.next()).isEqualTo("b");
            assertThatThrownBy(results::next).isInstanceOf(MigrationException.class).hasMessage("bad c");
        }
    }

    @Test
    void pushedJobsHandTheirResultsOnInOrderWithFewWaitingAndNoThreadsIsBadInput() {
        List<Integer> out = new ArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostWaiting = new AtomicInteger();
        try (OrderedParallel.Pushed<Integer> work = OrderedParallel.pushed(3, "--transfers", "test", "testing",
                out::add)) {
            for (int i = 0; i < 50; i++) {
                int n = i;
                if (i % 5 == 0) {
                    work.ready(n);
                } else {
                    work.submit(() -> {
                        mostWaiting.accumulateAndGet(running.incrementAndGet(), Math::max);
                        Thread.sleep(n % 3);
                        running.decrementAndGet();
                        return n;
                    });
                }
                assertThat(i + 1 - out.size()).as("results not yet handed on").isLessThanOrEqualTo(6);
            }
            work.finish();
        }
        assertThat(out).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
        assertThat(mostWaiting.get()).isLessThanOrEqualTo(3);
        assertThatThrownBy(() -> OrderedParallel.<Integer>pushed(0, "--transfers", "test", "testing", out::add))
                .isInstanceOf(MigrationException.class).hasMessage("--transfers must be 1 or more, got 0");
    }
}
