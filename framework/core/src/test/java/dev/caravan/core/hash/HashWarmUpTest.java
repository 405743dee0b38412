package dev.caravan.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HashWarmUpTest {

    @Test
    void hashesTheGivenNumberOfZeroBytesThroughTheCopyPipelinesStream() throws Exception {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[100_001]));
        assertThat(HashWarmUp.hash(100_001)).isEqualTo(expected);
    }

    @Test
    void startsOncePerJvm() {
        HashWarmUp.startInBackground(); // this call or an earlier one in this JVM (a cold migration test) started it
        assertThat(HashWarmUp.startInBackground()).isFalse();
        assertThat(HashWarmUp.startInBackground()).isFalse();
    }
}
