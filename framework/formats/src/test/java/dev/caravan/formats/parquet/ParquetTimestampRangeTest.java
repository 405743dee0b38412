package dev.caravan.formats.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatCodec;
import dev.caravan.formats.FormatWriter;
import dev.caravan.formats.SchemaText;
import dev.caravan.formats.TestIo;
import java.io.ByteArrayOutputStream;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A timestamp the unit's int64 cannot hold: the run failed with "long overflow", naming no record or column. */
class ParquetTimestampRangeTest {

    @Test
    void aTimestampBeyondTheUnitIsARejectedRecordAndTheFileStaysWhole() {
        Schema s = SchemaText.parseSchema("t", "id:LONG, ts:TIMESTAMP, tz:TIMESTAMP_TZ");
        FormatCodec codec = Codecs.get("parquet");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocalDateTime ok = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123456789);
        try (FormatWriter w = codec.encoder(out, "out.parquet", s, codec.config(Map.of("timestampPrecision", "nanos")))) {
            w.write(new DataRecord(new Object[] {1L, ok, null}));
            assertThatThrownBy(() -> w.write(new DataRecord(new Object[] {2L, LocalDateTime.of(1, 1, 1, 0, 0), null})))
                    .isInstanceOfSatisfying(DataError.class, e -> assertThat(e.recoverable()).isTrue())
                    .hasMessage("out.parquet: record 2, column 'ts': 0001-01-01T00:00 is outside the range of Parquet "
                            + "TIMESTAMP(NANOS) (1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z);"
                            + " write it with timestampPrecision=micros");
            OffsetDateTime far = OffsetDateTime.of(2262, 4, 12, 0, 0, 0, 0, ZoneOffset.ofHours(-8));
            assertThatThrownBy(() -> w.write(new DataRecord(new Object[] {3L, ok, far})))
                    .isInstanceOf(DataError.class).hasMessageContaining("record 2, column 'tz'");
            w.write(new DataRecord(new Object[] {4L, ok, null}));
            w.commit();
        }
        var rows = TestIo.readAll(codec.decoder(TestIo.source("out.parquet", out.toByteArray()), null,
                codec.config(Map.of())));
        assertThat(rows).extracting(r -> r.get(0)).containsExactly(1L, 4L);
        assertThat(rows.get(1).get(1)).isEqualTo(ok);
    }
}
