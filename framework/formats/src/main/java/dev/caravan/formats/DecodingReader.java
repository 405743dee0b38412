package dev.caravan.formats;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * The text of a byte stream in a charset, for the line-based readers. Bytes that are not valid text in the charset
 * are reported (a {@link java.nio.charset.CharacterCodingException}) only once every character before them has been
 * read, so the reader above knows the line and record they are in. (An {@link java.io.InputStreamReader} decodes
 * 8 KiB ahead and fails at the first read of the block, which for most files is while line 1 is parsed.) Not
 * thread-safe.
 */
public final class DecodingReader extends Reader {
    private static final int SIZE = 8192;

    private final InputStream in;
    private final CharsetDecoder decoder;
    /** Bytes read and not yet decoded, in read mode between calls. */
    private final ByteBuffer bytes = ByteBuffer.allocate(SIZE).flip();
    /** Characters decoded and not yet read, in read mode between calls. */
    private final CharBuffer chars = CharBuffer.allocate(SIZE).flip();
    /** The decoder's error, thrown once the characters before the bad bytes are read. */
    private CoderResult error;
    private boolean endOfInput;
    private boolean flushing;
    private boolean finished;

    public DecodingReader(InputStream in, Charset charset) {
        this.in = in;
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (error != null) {
                error.throwException();
            }
            if (finished) {
                return -1;
            }
            decode();
        }
        int n = Math.min(length, chars.remaining());
        chars.get(buffer, offset, n);
        return n;
    }

    /** Decodes into the empty character buffer until it holds something, the input ends or bad bytes come. */
    private void decode() throws IOException {
        chars.clear();
        try {
            while (true) {
                CoderResult r = flushing ? decoder.flush(chars) : decoder.decode(bytes, chars, endOfInput);
                if (r.isError()) {
                    error = r;
                    return;
                }
                if (r.isOverflow()) {
                    return;
                }
                if (flushing) {
                    finished = true;
                    return;
                }
                if (endOfInput) { // every byte decoded: what the decoder still holds comes next
                    flushing = true;
                    continue;
                }
                if (chars.position() > 0) {
                    return; // hand over what is decoded rather than wait for more input
                }
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    endOfInput = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
        } finally {
            chars.flip();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
