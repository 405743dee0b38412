package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyBinaryTest {
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    /** One timestamp row encoded alone: 2 (field count) + 4 (length) + 8 (microseconds). */
    private static long encoded(CopyBinary out, LocalDateTime t) throws SQLException {
        out.clear();
        out.row(new Object[] {t});
        ByteBuffer b = ByteBuffer.wrap(out.bytes(), 0, out.size());
        assertThat(b.getShort()).isEqualTo((short) 1);
        assertThat(b.getInt()).isEqualTo(8);
        return b.getLong();
    }

    private static long expected(LocalDateTime t) {
        return (t.toEpochSecond(ZoneOffset.UTC) - PG_EPOCH_SECONDS) * 1_000_000L + (t.getNano() + 500) / 1000;
    }

    @Test
    void timestampsSharingADateObjectEncodeLikeFreshOnes() throws SQLException {
        CopyBinary out = new CopyBinary(List.of("timestamp"));
        LocalDate shared = LocalDate.of(2024, 2, 29);
        List<LocalDateTime> rows = List.of(LocalDateTime.of(shared, LocalTime.of(0, 0)),
                LocalDateTime.of(shared, LocalTime.of(23, 59, 59, 999_999_600)),
                LocalDateTime.of(LocalDate.of(2024, 3, 1), LocalTime.of(12, 0, 0, 1_500)),
                LocalDateTime.of(shared, LocalTime.of(6, 30)), // the shared date again, after another one
                LocalDateTime.of(LocalDate.of(1999, 12, 31), LocalTime.of(23, 59, 59)),
                LocalDateTime.of(LocalDate.of(1999, 12, 31), LocalTime.of(0, 0, 1)));
        for (LocalDateTime t : rows) {
            assertThat(encoded(out, t)).as(t.toString()).isEqualTo(expected(t));
        }
        CopyBinary fresh = new CopyBinary(List.of("timestamp"));
        for (LocalDateTime t : rows) {
            LocalDateTime copy = LocalDateTime.parse(t.toString());
            assertThat(encoded(fresh, copy)).as(t.toString()).isEqualTo(encoded(out, t));
        }
    }
}
