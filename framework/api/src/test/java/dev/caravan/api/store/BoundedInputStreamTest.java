package dev.caravan.api.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BoundedInputStreamTest {
    private static final byte[] TEN = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void readsNoMoreThanTheLimitThroughEveryReadMethod() throws IOException {
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(TEN), 4)) {
            assertEquals(0, in.read());
            assertEquals(1, in.skip(1));
            assertEquals(2, in.available());
            byte[] buf = new byte[8];
            assertEquals(2, in.read(buf, 0, buf.length));
            assertArrayEquals(new byte[] {2, 3}, java.util.Arrays.copyOf(buf, 2));
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(buf, 0, buf.length));
            assertEquals(0, in.read(buf, 0, 0));
        }
    }

    @Test
    void aShortSourceEndsEarlyAndClosingClosesTheSource() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream source = new ByteArrayInputStream(TEN) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        InputStream in = new BoundedInputStream(source, 100);
        assertEquals(10, in.readAllBytes().length);
        in.close();
        assertTrue(closed.get());
    }
}
