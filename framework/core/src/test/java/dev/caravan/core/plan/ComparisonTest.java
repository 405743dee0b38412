package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.StoreFeatures;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The size-and-time test, and the stores' own digests that overrule a time that differs. */
class ComparisonTest {
    private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
    private static final StoreFeatures S3_LIKE = new StoreFeatures(Set.of(HashType.MD5, HashType.SHA256),
            Duration.ofSeconds(1), true, false, true, false);
    private final BiFunction<ObjectInfo, ObjectInfo, String> sizeMtime = Comparison.of(Compare.SIZE_MTIME, S3_LIKE,
            S3_LIKE, o -> null, o -> null);

    private static ObjectInfo object(Instant time, Map<HashType, String> hashes) {
        return new ObjectInfo("k", 10, time, hashes, null, null, Map.of(), -1);
    }

    @Test
    void aTimeThatDiffersIsAChangeUnlessBothStoresReportTheSameDigest() {
        ObjectInfo source = object(T, Map.of(HashType.MD5, "aa11"));
        assertThat(sizeMtime.apply(source, object(T.plusMillis(900), Map.of()))).as("within the precision").isNull();
        assertThat(sizeMtime.apply(source, object(T.plusSeconds(60), Map.of()))).as("no digest to tell")
                .startsWith("modified ");
        assertThat(sizeMtime.apply(source, object(T.plusSeconds(60), Map.of(HashType.MD5, "bb22"))))
                .as("other bytes").startsWith("modified ");
        assertThat(sizeMtime.apply(source, object(T.plusSeconds(60), Map.of(HashType.MD5, "AA11"))))
                .as("a copy that kept no time: the same bytes").isNull();
        assertThat(sizeMtime.apply(object(T, Map.of(HashType.SHA256, "cc")),
                object(T.plusSeconds(60), Map.of(HashType.SHA256, "cc", HashType.MD5, "dd")))).isNull();
        assertThat(sizeMtime.apply(object(T, Map.of(HashType.SHA256, "cc")),
                object(T.plusSeconds(60), Map.of(HashType.MD5, "cc")))).as("digests of two kinds never compared")
                .startsWith("modified ");
    }

    /**
     * A source rewritten with other bytes of the same size within the second of the target's time (S3 times are
     * whole seconds; found with a server-side bucket-to-bucket copy, whose target keeps no time of its own and so
     * carries the time of the copy, and a writer that replaced the source right after it): the rerun called the pair
     * unchanged although both stores reported different MD5s, and the target kept the old bytes.
     */
    @Test
    void equalTimesAreNoProofWhenBothStoresReportDifferentDigests() {
        assertThat(sizeMtime.apply(object(T, Map.of(HashType.MD5, "aa11")), object(T, Map.of(HashType.MD5, "bb22"))))
                .startsWith("md5 aa11 on source, bb22 on target");
        assertThat(sizeMtime.apply(object(T, Map.of(HashType.SHA256, "cc")),
                object(T.plusMillis(500), Map.of(HashType.SHA256, "dd")))).startsWith("sha256 cc on source, dd");
        assertThat(sizeMtime.apply(object(T, Map.of(HashType.SHA256, "cc", HashType.MD5, "aa11")),
                object(T, Map.of(HashType.SHA256, "cc", HashType.MD5, "bb22")))).as("one kind agrees").isNull();
        assertThat(sizeMtime.apply(object(T, Map.of(HashType.SHA256, "cc")), object(T, Map.of(HashType.MD5, "bb22"))))
                .as("digests of two kinds never compared").isNull();
    }

    @Test
    void aSizeThatDiffersIsAChangeWhateverTheDigests() {
        ObjectInfo source = object(T, Map.of(HashType.MD5, "aa11"));
        ObjectInfo bigger = new ObjectInfo("k", 11, T, Map.of(HashType.MD5, "aa11"), null, null, Map.of(), -1);
        assertThat(sizeMtime.apply(source, bigger)).startsWith("size 10 on source, 11 on target");
    }
}
