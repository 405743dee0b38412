package dev.caravan.connector.sftp;

import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written to while the SFTP store reads it (a database or disk image written in place, a log appended to):
 * the read that reaches the end, or the close after every byte, fails, so the copy is made again instead of being a
 * mixture of two versions. Files are changed on the server's own disk. By default only files of 1 MiB or more are
 * checked ({@code changeCheckFrom}).
 */
class SftpReadsIT {

    @TempDir
    static Path served;

    private static SftpTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new SftpTestServer(served);
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    private static ObjectStore open(String root, String... options) {
        return server.open(root, options);
    }

    private static Path onServer(String root, String key) throws IOException {
        Path file = served.resolve(root.substring(1)).resolve(key);
        Files.createDirectories(file.getParent());
        return file;
    }

    @Test
    void aFileWrittenInPlaceDuringItsReadFailsAtTheEnd() throws Exception {
        String root = server.newRoot();
        Path file = onServer(root, "db.img");
        Files.write(file, randomBytes(2_000_000, 1));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        try (ObjectStore store = open(root); InputStream in = store.open("db.img", ByteRange.ALL)) {
            assertThat(in.readNBytes(100_000)).hasSize(100_000);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(1_900_000);
                raf.write(new byte[] {1, 2, 3});
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:07Z")));
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining("the file changed while it was read (2000000 bytes modified at "
                            + "2026-01-01T00:00:00Z when opened, now 2000000 bytes modified at 2026-01-01T00:00:07Z)");
        }
    }

    @Test
    void aFileAppendedToDuringItsReadFailsAtTheCloseAfterItsLastByte() throws Exception {
        String root = server.newRoot();
        Path file = onServer(root, "app.log");
        byte[] data = randomBytes(300_000, 2);
        Files.write(file, data);
        try (ObjectStore store = open(root, "changeCheckFrom", "0")) { // every file, however small
            InputStream in = store.open("app.log", ByteRange.ALL);
            byte[] read = in.readNBytes(data.length);
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                out.write("one more line\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            assertSameBytes(read, data, "the bytes of the file as it was opened");
            assertThatThrownBy(in::close).isInstanceOf(IOException.class)
                    .hasMessageContaining("now 300014 bytes");
        }
    }

    @Test
    void anUnchangedFileAndAPartlyReadOneReadWithoutComplaint() throws Exception {
        String root = server.newRoot();
        Path file = onServer(root, "still.bin");
        byte[] data = randomBytes(200_000, 3);
        Files.write(file, data);
        try (ObjectStore store = open(root, "changeCheckFrom", "0")) {
            try (InputStream in = store.open("still.bin", ByteRange.ALL)) {
                assertSameBytes(in.readAllBytes(), data, "an unchanged file");
            }
            InputStream partly = store.open("still.bin", ByteRange.ALL);
            partly.readNBytes(1000);
            Files.write(file, randomBytes(200_001, 4));
            partly.close(); // not every byte was read: nothing was taken for a copy, nothing to check
        }
    }

    @Test
    void aFileBelowChangeCheckFromIsNotChecked() throws Exception {
        String root = server.newRoot();
        Path file = onServer(root, "small.db");
        Files.write(file, randomBytes(100_000, 5));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        try (ObjectStore store = open(root, "changeCheckFrom", "200k"); InputStream in = store.open("small.db",
                ByteRange.ALL)) {
            in.readNBytes(10);
            // changed in place, its size kept: a rewrite (truncate, then write) could let the client's read-ahead
            // meet a shorter file, which has nothing to do with the check
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(90_000);
                raf.write(new byte[] {1, 2, 3});
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:07Z")));
            assertThat(in.readAllBytes()).as("the rest of the file, read without a check").hasSize(100_000 - 10);
        }
    }
}
