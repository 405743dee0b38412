package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory stays bounded whatever the object count or size: both migrations run in a child JVM with -Xmx128m. */
class BoundedMemoryIT {
    @TempDir
    Path tmp;

    @Test
    void twoHundredThousandSmallFilesIn128MiB() throws Exception {
        Path src = tmp.resolve("src");
        for (int d = 0; d < 200; d++) {
            Path dir = Files.createDirectories(src.resolve(String.format("dir%03d", d)));
            for (int i = 0; i < 1000; i++) {
                Files.writeString(dir.resolve("f" + i + ".txt"), d + "/" + i, StandardCharsets.UTF_8);
            }
        }
        Path dst = tmp.resolve("dst");
        Path log = tmp.resolve("small.log");

        int exit = ChildCaravan.run("128m", log, "--home", tmp.resolve("home").toString(), "--no-progress",
                "copy", ChildCaravan.uri(src), ChildCaravan.uri(dst), "--transfers", "4");

        assertThat(exit).as(ChildCaravan.tail(log)).isZero();
        try (Stream<Path> s = Files.walk(dst)) {
            assertThat(s.filter(Files::isRegularFile).count()).isEqualTo(200_000);
        }
        assertThat(Files.readString(dst.resolve("dir123/f456.txt"))).isEqualTo("123/456");
        assertThat(Files.readString(dst.resolve("dir000/f0.txt"))).isEqualTo("0/0");
    }

    @Test
    void aFourGibFileIn128MiB() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path big = src.resolve("disk.img");
        long size = 4L << 30;
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(size); // sparse
            for (long at : new long[] {0, 1L << 30, size - 7}) {
                f.seek(at);
                f.write("caravan".getBytes(StandardCharsets.US_ASCII));
            }
        }
        Path dst = tmp.resolve("dst");
        Path log = tmp.resolve("large.log");
        try {
            int exit = ChildCaravan.run("128m", log, "--home", tmp.resolve("home").toString(), "--no-progress",
                    "copy", ChildCaravan.uri(src), ChildCaravan.uri(dst));

            assertThat(exit).as(ChildCaravan.tail(log)).isZero();
            Path copy = dst.resolve("disk.img");
            assertThat(Files.size(copy)).isEqualTo(size);
            assertThat(Files.mismatch(big, copy)).isEqualTo(-1L);
        } finally {
            Files.deleteIfExists(dst.resolve("disk.img"));
            Files.deleteIfExists(big);
        }
    }

}
