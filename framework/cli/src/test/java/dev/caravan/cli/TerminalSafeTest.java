package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalSafeTest {
    private static String escape(String text) {
        return new String(TerminalSafe.escape(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void controlCharactersThatDriveTheTerminalAreShownInCaretNotation() {
        assertThat(escape("COPY a\u001b[2Jb.txt failed")).isEqualTo("COPY a^[[2Jb.txt failed");
        assertThat(escape("bell\u0007 nul\u0000 del\u007f")).isEqualTo("bell^G nul^@ del^?");
    }

    @Test
    void layoutAndTextPassUnchanged() throws IOException {
        String text = "\r 42% copied\tfile \u00e9t\u00e9 \u6f22 \uD83D\uDE00\n";
        assertThat(escape(text)).isEqualTo(text);
        byte[] same = "plain".getBytes(StandardCharsets.UTF_8);
        assertThat(TerminalSafe.escape(same)).isSameAs(same); // no copy when nothing is unsafe

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (TerminalSafe out = new TerminalSafe(sink)) {
            out.write(0x1b);
            out.write("x\u001by".getBytes(StandardCharsets.UTF_8), 1, 2);
        }
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("^[^[y");
    }

    @Test
    void aLineOfAPlanOrSummaryKeepsANewlineOfAKeyOnItsLine() {
        java.io.StringWriter out = new java.io.StringWriter();
        Console console = new Console(new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()),
                false, false, false);
        console.printLine("  error     COPY line\nbreak\r.txt: refused");
        console.print("two\nlines");
        assertThat(out.toString()).isEqualTo("  error     COPY line^Jbreak^M.txt: refused" + System.lineSeparator()
                + "two\nlines" + System.lineSeparator());
    }
}
