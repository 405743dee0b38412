package dev.caravan.formats.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.FormatWriter;
import dev.caravan.formats.SchemaText;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000,000 CSV rows to Parquet and back to CSV, each conversion in a child JVM limited to a 128 MiB heap: the
 * decoders and encoders stream, and the round trip gives the same CSV bytes.
 */
class LargeConversionIT {
    private static final int ROWS = Integer.getInteger("caravan.it.rows", 1_000_000);
    private static final Schema SCHEMA = SchemaText.parseSchema("big",
            "id:LONG NOT NULL, name:STRING, amount:DECIMAL(12,2), ts:TIMESTAMP, flag:BOOLEAN, score:DOUBLE");

    @TempDir
    Path dir;

    @Test
    void aMillionRowsCsvToParquetAndBackInA128MiBHeap() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path csv = src.resolve("big.csv");
        generate(csv);
        long csvSize = Files.size(csv);

        String toParquet = run(src, "*.csv", "csv", dir.resolve("pq"), "pq", "parquet", 400_000,
                "src.schema=" + SchemaText.format(SCHEMA.columns()));
        assertThat(toParquet).contains("records=" + ROWS).contains("files=3");
        List<Path> parquet = list(dir.resolve("pq/pq"));
        assertThat(parquet).extracting(p -> p.getFileName().toString())
                .containsExactly("part-00000.parquet", "part-00001.parquet", "part-00002.parquet");

        String toCsv = run(dir.resolve("pq"), "pq/*.parquet", "parquet", dir.resolve("back"), "csv", "csv", 0);
        assertThat(toCsv).contains("records=" + ROWS).contains("files=1");
        Path back = dir.resolve("back/csv/part-00000.csv");
        assertThat(Files.size(back)).isEqualTo(csvSize);
        assertThat(sha256(back)).isEqualTo(sha256(csv));
        System.out.printf("LargeConversionIT: %d rows, CSV %d bytes, Parquet %d bytes%n  csv->parquet %s%n  parquet->csv %s%n",
                ROWS, csvSize, parquet.stream().mapToLong(LargeConversionIT::size).sum(), toParquet, toCsv);
    }

    private static void generate(Path file) throws IOException {
        Random rnd = new Random(42);
        String[] words = {"alpha", "Müller", "東京", "comma, inside", "quote \"q\"", "naïve", "line\nbreak", "", "x"};
        LocalDateTime base = LocalDateTime.of(2020, 1, 1, 0, 0);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                FormatWriter w = Codecs.get("csv").encoder(out, SCHEMA, null)) {
            for (long i = 0; i < ROWS; i++) {
                String name = i % 97 == 0 ? null : words[rnd.nextInt(words.length)] + " " + Long.toString(rnd.nextLong(), 36);
                BigDecimal amount = i % 89 == 0 ? null : BigDecimal.valueOf(rnd.nextInt(2_000_000_000) - 1_000_000_000L, 2);
                LocalDateTime ts = base.plusSeconds(rnd.nextInt(200_000_000)).plusNanos(rnd.nextInt(1_000_000) * 1000L);
                Boolean flag = i % 13 == 0 ? null : rnd.nextBoolean();
                Double score = i % 11 == 0 ? null : rnd.nextGaussian() * 1e6;
                w.write(new DataRecord(new Object[] {i, name, amount, ts, flag, score}));
            }
            w.commit();
        }
    }

    private static String run(Path srcDir, String glob, String srcFormat, Path dstDir, String prefix, String dstFormat,
            long maxRecords, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), ConvertMain.class.getName(),
                srcDir.toString(), glob, srcFormat, dstDir.toString(), prefix, dstFormat, Long.toString(maxRecords)));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output.lines().filter(l -> l.startsWith("REPORT")).findFirst().orElseThrow();
    }

    private static List<Path> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
