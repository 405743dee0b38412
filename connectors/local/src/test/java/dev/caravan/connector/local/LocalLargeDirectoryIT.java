package dev.caravan.connector.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A flat directory of 200,000 files is listed, in order, by a JVM limited to a 128 MiB heap. */
class LocalLargeDirectoryIT {
    private static final int FILES = 200_000;

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void listsTwoHundredThousandFilesWithin128MiB() throws IOException, InterruptedException {
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        String padding = "-some-longer-name-to-weigh-like-a-real-one";
        for (int i = 0; i < FILES; i++) {
            Files.createFile(flat.resolve("file-" + Integer.toHexString(i * 7919) + padding));
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx128m", "-cp",
                System.getProperty("java.class.path"), ListingProbe.class.getName(), tmp.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(240, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith("listed " + FILES + " ");
    }
}
