package dev.caravan.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Output that cannot drive the terminal: control characters other than tab, newline and carriage return (which
 * the progress line uses) are written in caret notation, as {@code cat -v} does ({@code ESC} as {@code ^[}). Keys,
 * file names and error messages come from the stores, so a name holding {@code ESC [2J} would otherwise clear the
 * screen or forge output. Works on UTF-8 bytes: no byte of a multi-byte character is below 0x80.
 */
public final class TerminalSafe extends FilterOutputStream {
    /** Escapes what is written to {@code out}. */
    public TerminalSafe(OutputStream out) {
        super(out);
    }

    /** The bytes with every unsafe control character in caret notation. */
    public static byte[] escape(byte[] bytes) {
        int unsafe = 0;
        for (byte b : bytes) {
            if (isUnsafe(b)) {
                unsafe++;
            }
        }
        if (unsafe == 0) {
            return bytes;
        }
        byte[] safe = new byte[bytes.length + unsafe];
        int i = 0;
        for (byte b : bytes) {
            if (isUnsafe(b)) {
                safe[i++] = '^';
                safe[i++] = (byte) (b ^ 0x40);
            } else {
                safe[i++] = b;
            }
        }
        return safe;
    }

    private static boolean isUnsafe(byte b) {
        return b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b == 0x7f;
    }

    @Override
    public void write(int b) throws IOException {
        if (isUnsafe((byte) b)) {
            out.write('^');
            out.write(b ^ 0x40);
        } else {
            out.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        byte[] part = new byte[len];
        System.arraycopy(b, off, part, 0, len);
        out.write(escape(part));
    }
}
