package dev.caravan.connector.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ComputedDigest.PartDigests;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One reading gives the whole stream's SHA-256 and each part's, across read-buffer boundaries and for empty input. */
class LocalDigestsTest {
    @Test
    void theWholeAndEachPartAreHashedInOneReading() throws Exception {
        byte[] data = new byte[3 * (1 << 20) + 5];
        new Random(3).nextBytes(data);
        for (long partSize : new long[] {(1 << 20) + 3, 1 << 20, 7_000_000, data.length}) {
            PartDigests d = LocalDigests.withParts(new ByteArrayInputStream(data), partSize);
            assertThat(d.sha256()).isEqualTo(hex(data));
            int parts = (int) ((data.length + partSize - 1) / partSize);
            assertThat(d.parts()).as("part size %d", partSize).hasSize(parts);
            for (int i = 0; i < parts; i++) {
                int from = (int) (i * partSize);
                int to = (int) Math.min(data.length, from + partSize);
                assertThat(HexFormat.of().formatHex(d.parts().get(i))).isEqualTo(hex(Arrays.copyOfRange(data, from, to)));
            }
        }
        assertThat(LocalDigests.sha256(new ByteArrayInputStream(data))).isEqualTo(hex(data));
    }

    @Test
    void anEmptyObjectHasOneEmptyPart() throws Exception {
        PartDigests d = LocalDigests.withParts(new ByteArrayInputStream(new byte[0]), 5);
        assertThat(d.sha256()).isEqualTo(hex(new byte[0]));
        assertThat(d.parts()).singleElement().satisfies(p -> assertThat(HexFormat.of().formatHex(p))
                .isEqualTo(hex(new byte[0])));
    }

    private static String hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
