package dev.caravan.core.manifest;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.IoProblems;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Reads a manifest line by line (never the whole file in memory) and checks its chain digest on the way. Not
 * thread-safe.
 *
 * <p>{@link #open} reads the header and fails with {@link ErrorKind#USER_CONFIG} (bad input) when the file cannot be
 * read or is not a manifest of a known format version. {@link #next} then gives the object lines, well-formed or not,
 * until the footer; {@link #tampering} says afterwards whether the file is the one that was written.
 */
public final class ManifestReader implements AutoCloseable {
    /** Longer lines are refused (a hostile file must not exhaust memory). */
    static final int MAX_LINE_BYTES = 1 << 20;

    private final Path file;
    private final InputStream in;
    private final MessageDigest chain = Sha256.newDigest();
    private final ManifestHeader header;
    private long lineNumber;
    private long objectLines;
    private long bytes;
    private boolean malformed;
    private ManifestFooter footer;
    private String tampering;
    private boolean ended;
    private byte[] lastLine;
    private boolean lastLineEnded;

    private ManifestReader(Path file, InputStream in) {
        this.file = file;
        this.in = in;
        String first = readLine();
        if (first == null) {
            throw badInput("is empty");
        }
        chainLastLine();
        try {
            header = ManifestLines.parseHeader(first);
        } catch (ManifestLines.MalformedLineException e) {
            throw badInput("line 1: " + e.getMessage());
        }
    }

    /** Opens a manifest and reads its header. */
    public static ManifestReader open(Path file) {
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot read the manifest " + file + ": " + IoProblems.reason(e), e);
        }
        try {
            return new ManifestReader(file, in);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    public ManifestHeader header() {
        return header;
    }

    /** The next object line, or {@code null} after the last one (at the footer or at the end of a truncated file). */
    public Line next() {
        if (ended) {
            return null;
        }
        String text = readLine();
        if (text == null) {
            end("it is truncated: it ends at line " + lineNumber + " without its final line (object count and chain"
                    + " digest)");
            return null;
        }
        ManifestFooter f = ManifestLines.footerOrNull(text);
        if (f != null) {
            checkFooter(f);
            return null;
        }
        chainLastLine();
        objectLines++;
        try {
            ManifestEntry entry = ManifestLines.parseEntry(text);
            bytes += entry.size();
            return new Line(lineNumber, entry, null);
        } catch (ManifestLines.MalformedLineException e) {
            malformed = true;
            return new Line(lineNumber, null, e.getMessage());
        }
    }

    /** Reads to the end and returns {@link #tampering}. */
    public String readToEnd() {
        while (next() != null) {
            // only the verdict is wanted
        }
        return tampering;
    }

    /**
     * Why the file is not the one that was written (a changed, added, removed or truncated line), or {@code null} when
     * it is intact; known once {@link #next} returned {@code null}.
     */
    public String tampering() {
        return tampering;
    }

    /** The footer, or {@code null} when the file has none (truncated). */
    public ManifestFooter footer() {
        return footer;
    }

    private void checkFooter(ManifestFooter f) {
        footer = f;
        String expected = HexFormat.of().formatHex(chain.digest());
        if (!expected.equals(f.chain())) {
            end("its chain digest does not match its lines (a line was changed, added or removed before line "
                    + lineNumber + ")");
        } else if (f.objects() != objectLines || (!malformed && f.bytes() != bytes)) {
            end("its final line says " + f.objects() + " objects and " + f.bytes() + " bytes, its lines hold "
                    + objectLines + " objects and " + bytes + " bytes");
        } else if (readLine() != null) {
            end("it has lines after its final line (line " + lineNumber + ")");
        } else {
            end(null);
        }
    }

    private void end(String problem) {
        ended = true;
        tampering = problem == null ? null : "the manifest " + file + " was changed after it was written: " + problem;
    }

    /** Adds the line last read, with its {@code \n}, to the chain digest (every line but the footer). */
    private void chainLastLine() {
        chain.update(lastLine);
        if (lastLineEnded) {
            chain.update((byte) '\n');
        }
    }

    /** The next line without its {@code \n}; {@code null} at the end of the file. */
    private String readLine() {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (line.size() >= MAX_LINE_BYTES) {
                    throw badInput("line " + (lineNumber + 1) + " is longer than " + MAX_LINE_BYTES + " bytes");
                }
                line.write(b);
            }
            if (b < 0 && line.size() == 0) {
                return null;
            }
            lineNumber++;
            byte[] raw = line.toByteArray();
            lastLine = raw;
            lastLineEnded = b == '\n';
            return new String(raw, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "cannot read the manifest " + file + ": " + IoProblems.reason(e), e);
        }
    }

    private MigrationException badInput(String problem) {
        return new MigrationException(ErrorKind.USER_CONFIG, "the manifest " + file + " " + problem);
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing was written
        }
    }

    /**
     * One object line.
     *
     * @param number  its line number in the file (the header is line 1)
     * @param entry   the object it records, or {@code null} when the line is malformed
     * @param problem what is wrong with it, or {@code null}
     */
    public record Line(long number, ManifestEntry entry, String problem) {
    }
}
