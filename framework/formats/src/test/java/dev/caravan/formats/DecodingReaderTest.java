package dev.caravan.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Text decoded exactly across buffer and read boundaries; bad bytes reported after the text before them. */
class DecodingReaderTest {
    /** Hands out at most a few bytes per read, so multi-byte characters are split between reads. */
    private static InputStream trickling(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            private int turn;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + turn++ % 5));
            }
        };
    }

    private static String readFully(Reader r, StringBuilder sb) throws IOException {
        char[] buf = new char[777];
        int n;
        while ((n = r.read(buf, 0, buf.length)) >= 0) {
            sb.append(buf, 0, n);
        }
        return sb.toString();
    }

    @Test
    void decodesMultiByteTextExactlyWhateverTheChunks() throws IOException {
        String text = "aé東😀\n".repeat(5000);
        for (InputStream in : new InputStream[] {new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
            trickling(text.getBytes(StandardCharsets.UTF_8))}) {
            try (Reader r = new DecodingReader(in, StandardCharsets.UTF_8)) {
                assertThat(readFully(r, new StringBuilder())).isEqualTo(text);
            }
        }
    }

    @Test
    void badBytesFailOnlyAfterTheTextBeforeThemWasRead() throws IOException {
        String good = "line\n".repeat(3000) + "x";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(good.getBytes(StandardCharsets.UTF_8));
        bytes.write(0xff);
        bytes.write("after\n".getBytes(StandardCharsets.UTF_8));
        StringBuilder read = new StringBuilder();
        try (Reader r = new DecodingReader(new ByteArrayInputStream(bytes.toByteArray()), StandardCharsets.UTF_8)) {
            assertThatThrownBy(() -> readFully(r, read)).isInstanceOf(MalformedInputException.class);
            assertThatThrownBy(() -> r.read()).as("the error stays").isInstanceOf(MalformedInputException.class);
        }
        assertThat(read.toString()).isEqualTo(good);
    }

    @Test
    void aCharacterCutShortAtTheEndIsAnError() throws IOException {
        byte[] cut = {'o', 'k', (byte) 0xe6, (byte) 0x9d};
        StringBuilder read = new StringBuilder();
        try (Reader r = new DecodingReader(new ByteArrayInputStream(cut), StandardCharsets.UTF_8)) {
            assertThatThrownBy(() -> readFully(r, read)).isInstanceOf(MalformedInputException.class);
        }
        assertThat(read.toString()).isEqualTo("ok");
    }
}
