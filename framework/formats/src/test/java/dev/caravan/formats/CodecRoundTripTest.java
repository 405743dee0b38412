package dev.caravan.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.config.Config;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.WriteReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every codec writes and reads back every column type, NULLs, unicode, precise decimals and times. */
class CodecRoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {"csv", "jsonl", "avro", "parquet"})
    void everyTypeRoundTrips(String format) {
        FormatCodec codec = Codecs.get(format);
        Schema schema = Samples.allTypes();
        List<DataRecord> rows = Samples.allTypesRecords();

        byte[] bytes = encode(codec, schema, rows, null);
        boolean selfDescribing = format.equals("avro") || format.equals("parquet");
        List<DataRecord> back = decodeAll(codec, bytes, selfDescribing ? null : schema, null);

        Samples.assertSameValues(schema, back, rows);
    }

    @ParameterizedTest
    @ValueSource(strings = {"avro", "parquet"})
    void binaryFormatsRestoreTheSchema(String format) {
        FormatCodec codec = Codecs.get(format);
        byte[] bytes = encode(codec, Samples.allTypes(), Samples.allTypesRecords(), null);
        try (FormatReader reader = codec.decoder(new ByteArrayInputStream(bytes), null, null)) {
            assertThat(reader.schema().columns()).isEqualTo(Samples.allTypes().columns());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "gzip", "lz4_raw", "none", "snappy"})
    void parquetCompressions(String compression) {
        FormatCodec codec = Codecs.get("parquet");
        Config config = codec.config(Map.of("compression", compression));
        byte[] bytes = encode(codec, Samples.allTypes(), Samples.allTypesRecords(), config);
        Samples.assertSameValues(Samples.allTypes(), decodeAll(codec, bytes, null, null), Samples.allTypesRecords());
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "deflate", "snappy", "zstandard", "bzip2"})
    void avroCompressions(String compression) {
        FormatCodec codec = Codecs.get("avro");
        Config config = codec.config(Map.of("compression", compression));
        byte[] bytes = encode(codec, Samples.allTypes(), Samples.allTypesRecords(), config);
        Samples.assertSameValues(Samples.allTypes(), decodeAll(codec, bytes, null, null), Samples.allTypesRecords());
    }

    @ParameterizedTest
    @ValueSource(strings = {"avro", "parquet"})
    void garbageAndTruncatedFilesAreUserDataErrorsNamingTheObject(String format) {
        FormatCodec codec = Codecs.get(format);
        byte[] good = encode(codec, Samples.allTypes(), Samples.allTypesRecords(), null);
        byte[] garbage = "id,name\n1,not a binary file\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 20);
        for (byte[] bad : List.of(garbage, truncated)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> decodeAll(codec, bad, "in/broken." + format))
                    .isInstanceOfSatisfying(DataError.class, e -> {
                        assertThat(e.kind()).isEqualTo(dev.caravan.api.error.ErrorKind.USER_DATA);
                        assertThat(e.source()).isEqualTo("in/broken." + format);
                    });
        }
    }

    private static List<DataRecord> decodeAll(FormatCodec codec, byte[] bytes, String name) {
        try (FormatReader reader = codec.decoder(TestIo.source(name, bytes), null, null)) {
            return TestIo.readAll(reader);
        }
    }

    static byte[] encode(FormatCodec codec, Schema schema, List<DataRecord> rows, Config config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FormatWriter writer = codec.encoder(out, schema, config)) {
            writer.write(new RecordBatch(rows, null));
            WriteReport report = writer.commit();
            assertThat(report.rowsWritten()).isEqualTo(rows.size());
        }
        return out.toByteArray();
    }

    static List<DataRecord> decodeAll(FormatCodec codec, byte[] bytes, Schema schema, Config config) {
        List<DataRecord> out = new ArrayList<>();
        try (FormatReader reader = codec.decoder(new ByteArrayInputStream(bytes), schema, config)) {
            Optional<RecordBatch> batch;
            while ((batch = reader.nextBatch()).isPresent()) {
                out.addAll(batch.get().records());
            }
        }
        return out;
    }
}
