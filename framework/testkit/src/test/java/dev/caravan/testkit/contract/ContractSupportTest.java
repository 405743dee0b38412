package dev.caravan.testkit.contract;

import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ContractSupportTest {
    private static final byte[] EXPECTED = randomBytes(3 * (1 << 20) + 17, 5); // spans several read chunks

    @Test
    void aStreamOfTheSameBytesPasses() {
        assertThatCode(() -> assertSameBytes(new ByteArrayInputStream(EXPECTED.clone()), EXPECTED, "same"))
                .doesNotThrowAnyException();
        assertThatCode(() -> assertSameBytes(new ByteArrayInputStream(new byte[0]), new byte[0], "empty"))
                .doesNotThrowAnyException();
    }

    @Test
    void aDifferenceIsReportedAtItsOffset() {
        byte[] damaged = EXPECTED.clone();
        int at = 2 * (1 << 20) + 3; // in the third chunk
        damaged[at] ^= 1;
        assertThatThrownBy(() -> assertSameBytes(new ByteArrayInputStream(damaged), EXPECTED, "damaged"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("differ first at offset " + at);
        assertThatThrownBy(() -> assertSameBytes(damaged, EXPECTED, "damaged array"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("differ first at offset " + at);
    }

    @Test
    void missingOrExtraBytesFailOnTheCount() {
        byte[] shorter = Arrays.copyOf(EXPECTED, EXPECTED.length - 1);
        byte[] longer = Arrays.copyOf(EXPECTED, EXPECTED.length + (1 << 20));
        assertThatThrownBy(() -> assertSameBytes(new ByteArrayInputStream(shorter), EXPECTED, "shorter"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("number of bytes");
        assertThatThrownBy(() -> assertSameBytes(new ByteArrayInputStream(longer), EXPECTED, "longer"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("number of bytes")
                .hasMessageContaining(String.valueOf(EXPECTED.length + (1 << 20)));
    }
}
