package dev.caravan.formats;

import static dev.caravan.formats.TestIo.readAll;
import static dev.caravan.formats.TestIo.reader;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeInferenceTest {

    private static Column infer(String... texts) {
        TypeInference.Guess g = new TypeInference.Guess();
        for (String t : texts) {
            g.observeText(t);
        }
        return g.toColumn("c", true);
    }

    @Test
    void decimalsThatFitDecimal38AreDecimal38() {
        Column c = infer("1.50", "12345678901234567890.123456789012345678");
        assertThat(c.type()).isEqualTo(ColumnType.DECIMAL);
        assertThat(c.precision()).isEqualTo(38);
        assertThat(c.scale()).isEqualTo(18);
    }

    /** They were inferred as DOUBLE: 123456789012345678901234567890.123456789 became 1.2345678901234568E29. */
    @Test
    void decimalsTooWideForDecimal38AreExactUnboundedDecimals() {
        for (String[] sample : List.of(new String[] {"123456789012345678901234567890.123456789"},
                new String[] {"0.1234567890123456789"}, new String[] {"123456789012345678", "0.123456789012345678901"},
                new String[] {"1", "99999999999999999999.123456789012345678901"})) {
            Column c = infer(sample);
            assertThat(c.type()).as(String.join(", ", sample)).isEqualTo(ColumnType.DECIMAL);
            assertThat(c.precision()).as("unbounded").isZero();
        }
        TypeInference.Guess g = new TypeInference.Guess();
        g.observeText("0.1234567890123456789");
        assertThat(g.toColumn("c", false).type()).as("inferDecimals=false").isEqualTo(ColumnType.DOUBLE);
        TypeInference.Guess integers = new TypeInference.Guess();
        integers.observeText("1234567890123456789012345");
        assertThat(integers.toColumn("c", false).type()).as("inferDecimals=false, no fraction").isEqualTo(ColumnType.DECIMAL);
    }

    /** "12345678901234567" next to "1e3" made the column DOUBLE: it came back as 12345678901234568. */
    @Test
    void numbersWithMoreDigitsThanADoubleKeepsStayExactNextToExponents() {
        Column wide = infer("12345678901234567", "1e3");
        assertThat(wide.type()).isEqualTo(ColumnType.DECIMAL);
        assertThat(wide.precision()).as("unbounded").isZero();
        assertThat(infer("0.1234567890123456", "2.5E-3").type()).isEqualTo(ColumnType.DECIMAL);
        assertThat(infer("123456789012345", "1e3").type()).as("15 digits: exact in a DOUBLE").isEqualTo(ColumnType.DOUBLE);
        assertThat(infer("1.5", "1e3").type()).isEqualTo(ColumnType.DOUBLE);
        List<DataRecord> rows = readAll(reader("csv", "n\n12345678901234567\n1e3\n", null, Map.of()));
        assertThat(rows).extracting(r -> r.get(0))
                .containsExactly(new BigDecimal("12345678901234567"), new BigDecimal("1e3"));
    }

    @Test
    void wideCsvAndJsonNumbersComeBackExactly() {
        String big = "123456789012345678901234567890.123456789";
        List<DataRecord> csv = readAll(reader("csv", "id,amount\n1," + big + "\n2,-0.00\n", null, Map.of()));
        assertThat(csv).extracting(r -> r.get(1)).containsExactly(new BigDecimal(big), new BigDecimal("-0.00"));
        String integer = "12345678901234567890123456789012345678901234";
        List<DataRecord> json = readAll(reader("jsonl", "{\"d\":" + big + ",\"i\":" + integer + "}\n{\"d\":1.5,\"i\":1}\n",
                null, Map.of()));
        assertThat(json).extracting(r -> r.get(0)).containsExactly(new BigDecimal(big), new BigDecimal("1.5"));
        assertThat(json).extracting(r -> r.get(1)).containsExactly(new BigDecimal(integer), BigDecimal.ONE);
    }
}
