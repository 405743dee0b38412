package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The memory budget of part buffers. */
class PartBuffersTest {

    @Test
    void takersWaitForMemoryAndReleaseIsIdempotent() throws Exception {
        PartBuffers buffers = new PartBuffers(1 << 20);
        PartBuffers.Buffer a = buffers.take(640 * 1024);
        assertThat(a.bytes).hasSize(640 * 1024);
        assertThat(buffers.available()).isEqualTo((1 << 20) - 640 * 1024);
        AtomicReference<PartBuffers.Buffer> second = new AtomicReference<>();
        Thread waiter = new Thread(() -> second.set(buffers.take(640 * 1024)));
        waiter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);
        assertThat(second.get()).as("no memory yet").isNull();
        a.release();
        a.release();
        waiter.join(10_000);
        assertThat(second.get()).isNotNull();
        second.get().release();
        assertThat(buffers.available()).isEqualTo(1 << 20);
    }

    @Test
    void aBufferLargerThanTheBudgetStillFits() {
        PartBuffers buffers = new PartBuffers(128 * 1024);
        PartBuffers.Buffer big = buffers.take(1 << 20);
        assertThat(buffers.available()).isZero();
        big.release();
        assertThat(buffers.available()).isEqualTo(128 * 1024);
        PartBuffers.Buffer empty = buffers.take(0);
        assertThat(empty.bytes).isEmpty();
        assertThat(buffers.available()).isEqualTo(128 * 1024);
        empty.release();
    }
}
