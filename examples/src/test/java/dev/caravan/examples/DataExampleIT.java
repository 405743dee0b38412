package dev.caravan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.DataRecord;
import dev.caravan.cli.Main;
import dev.caravan.formats.ByteSource;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.FormatReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the data example as its README says ({@code caravan run examples/data/csv-to-parquet.yaml} from the
 * repository root) in-process through the CLI's main class, then reads the Parquet file back and compares every
 * value with the bundled CSV, read by the CSV codec with the same schema.
 */
class DataExampleIT {
    static final Path DIR = Path.of("examples/data");
    static final Path OUT = DIR.resolve("out");
    static final String SCHEMA = "order_id:LONG NOT NULL, customer:STRING NOT NULL, amount:DECIMAL(10,2),"
            + " ordered_at:TIMESTAMP, note:STRING";

    @TempDir
    Path home;

    @BeforeEach
    void cleanOutput() throws Exception {
        assertThat(DIR.resolve("csv-to-parquet.yaml")).as("working directory must be the repository root").exists();
        if (Files.exists(OUT)) {
            try (Stream<Path> s = Files.walk(OUT)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void csvBecomesParquetWithTheMapping() throws Exception {
        StringWriter out = new StringWriter();
        String[] args = {"--home", home.toString(), "--no-progress", "run", DIR.resolve("csv-to-parquet.yaml").toString()};
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(out, true), args);
        assertThat(code).as(out.toString()).isZero();

        Path parquet = OUT.resolve("orders/part-00000.parquet");
        assertThat(parquet).exists();
        List<List<Object>> expected = new ArrayList<>();
        try (FormatReader csv = Codecs.get("csv").decoder(ByteSource.of(DIR.resolve("sample/orders.csv")), null,
                Codecs.get("csv").config(Map.of("schema", SCHEMA)))) {
            DataRecord r;
            while ((r = csv.next()) != null) {
                List<Object> row = new ArrayList<>(Arrays.asList(r.values()));
                row.add("legacy-shop");
                expected.add(row);
            }
        }
        assertThat(expected).hasSize(5);
        List<List<Object>> actual = new ArrayList<>();
        List<String> names;
        try (FormatReader pq = Codecs.get("parquet").decoder(ByteSource.of(parquet), null, null)) {
            names = pq.schema().columns().stream().map(Column::name).toList();
            DataRecord r;
            while ((r = pq.next()) != null) {
                actual.add(Arrays.asList(r.values()));
            }
        }
        assertThat(names).containsExactly("order_id", "customer_name", "amount", "ordered_at", "note",
                "source_system");
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.get(2)).containsExactly(1003L, "O'Brien & Sons, Ltd", new BigDecimal("1249.00"),
                LocalDateTime.parse("2024-03-02T08:05:10"), "deliver to the \"back door\"", "legacy-shop");
        assertThat(actual.get(3).get(4)).isEqualTo("two\nlines");
        assertThat(actual.get(1).get(4)).isNull();
    }
}
