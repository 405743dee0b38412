package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FormatsTest {
    @Test
    void bytesInBinaryUnits() {
        assertThat(Formats.bytes(0)).isEqualTo("0 B");
        assertThat(Formats.bytes(1023)).isEqualTo("1023 B");
        assertThat(Formats.bytes(1024)).isEqualTo("1.0 KiB");
        assertThat(Formats.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Formats.bytes(70_730_021)).isEqualTo("67.5 MiB");
        assertThat(Formats.bytes(1024L * 1024 - 1)).isEqualTo("1.0 MiB");
        assertThat(Formats.bytes(4L << 30)).isEqualTo("4.0 GiB");
        assertThat(Formats.bytes(-1)).isEqualTo("?");
    }

    @Test
    void ratesCountsAndPlurals() {
        assertThat(Formats.rate(10.0 * (1 << 20))).isEqualTo("10.0 MiB/s");
        assertThat(Formats.rate(Double.NaN)).isEqualTo("?/s");
        assertThat(Formats.count(1234567)).isEqualTo("1,234,567");
        assertThat(Formats.plural(1, "object")).isEqualTo("1 object");
        assertThat(Formats.plural(2000, "object")).isEqualTo("2,000 objects");
    }

    @Test
    void durations() {
        assertThat(Formats.duration(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Formats.duration(Duration.ofMillis(12_345))).isEqualTo("12.3s");
        assertThat(Formats.duration(Duration.ofSeconds(245))).isEqualTo("4m 05s");
        assertThat(Formats.duration(Duration.ofMinutes(123))).isEqualTo("2h 03m");
        assertThat(Formats.duration(Duration.ofHours(76))).isEqualTo("3d 04h");
        assertThat(Formats.duration(null)).isEqualTo("?");
    }

    @Test
    void percent() {
        assertThat(Formats.percent(1, 3)).isEqualTo(33);
        assertThat(Formats.percent(5, 0)).isEqualTo(-1);
        assertThat(Formats.percent(7, 5)).isEqualTo(100);
    }

    @Test
    void tableAlignsColumnsAndLeavesTheLastUnpadded() {
        String t = new TextTable("A", "BB", "C").row("xxx", "y", "long text").row("z", null, "t").render();
        assertThat(t).isEqualTo("A    BB  C\nxxx  y   long text\nz    -   t\n");
    }
}
