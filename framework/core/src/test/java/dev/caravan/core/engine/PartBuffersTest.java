package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PartBuffersTest {

    @Test
    void aReleasedBufferIsReusedForAPartOfTheSameOrAShorterSize() {
        PartBuffers buffers = new PartBuffers(64);
        byte[] first = buffers.acquire(16);
        buffers.release(first);
        assertThat(buffers.acquire(16)).isSameAs(first);
        buffers.release(first);
        assertThat(buffers.acquire(9)).as("the short last part of an object").isSameAs(first);
        buffers.release(first);
        assertThat(buffers.acquire(7)).as("less than half: a buffer of its own").isNotSameAs(first).hasSize(7);
        assertThat(buffers.held()).isEqualTo(23);
    }

    @Test
    void buffersInUseAndFreeStayWithinTheBudget() {
        PartBuffers buffers = new PartBuffers(32);
        byte[] a = buffers.acquire(16);
        byte[] b = buffers.acquire(16);
        buffers.release(a);
        buffers.release(b);
        byte[] c = buffers.acquire(30); // no free buffer fits: both free ones are dropped to make room
        assertThat(c).hasSize(30);
        assertThat(buffers.held()).isEqualTo(30);
    }

    @Test
    @Timeout(10)
    void aTakerWaitsUntilABufferComesBack() throws Exception {
        PartBuffers buffers = new PartBuffers(16);
        byte[] held = buffers.acquire(16);
        CompletableFuture<byte[]> waiting = CompletableFuture.supplyAsync(() -> buffers.acquire(16));
        assertThatThrownBy(() -> waiting.get(300, TimeUnit.MILLISECONDS)).as("budget exhausted")
                .isInstanceOf(TimeoutException.class);
        buffers.release(held);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isSameAs(held);
    }

    @Test
    void aRequestLargerThanTheBudgetIsServedAlone() {
        PartBuffers buffers = new PartBuffers(8);
        assertThat(buffers.acquire(100)).hasSize(100);
        assertThat(buffers.held()).isEqualTo(100);
    }
}
