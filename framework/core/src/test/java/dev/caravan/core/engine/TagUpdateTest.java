package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.StoreFeatures;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.plan.PlannedTask;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tags changed on the source (bytes and times unchanged, as S3 PutObjectTagging and Azure Set Blob Tags leave them)
 * are a difference of attributes where both stores keep tags and both objects carry them as read: the target's tags
 * are set in place, the bytes not copied; the tag rules apply to the comparison as to the copy.
 */
class TagUpdateTest extends EngineTestBase {
    private final String team = "team-" + UUID.randomUUID();
    private final String newTeam = "team-" + UUID.randomUUID();

    @BeforeEach
    void bothKeepTags() {
        src.keeps = StoreFeatures.ALL_METADATA;
        dst.keeps = StoreFeatures.ALL_METADATA;
        dst.writesAttributes = true;
    }

    private static PutRequest tagged(Map<String, String> tags) {
        return new PutRequest(-1, T0, "text/plain", Map.of(), -1, ContentHeaders.EMPTY, tags);
    }

    private MigrationSpec.Builder spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1));
    }

    private void copiedOnce(MigrationSpec spec, Map<String, String> tags) {
        src.add("doc.bin", bytes("same bytes"), T0, tagged(tags));
        assertThat(engine.run(spec, ProgressListener.NONE).copied()).isEqualTo(1);
    }

    @Test
    void retaggedSourceSetsTheTargetsTagsInPlaceAndARerunPlansNothing() {
        copiedOnce(spec().build(), Map.of("team", team));
        src.attributes.put("doc.bin", tagged(Map.of("team", newTeam)));
        int puts = dst.puts.get();

        PlanResult plan = engine.plan(spec().build());
        assertThat(plan.summary().metadataCount()).isEqualTo(1);
        assertThat(plan.sample()).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo(PlannedTask.METADATA);
            assertThat(a.reason()).isEqualTo("tags {team=" + newTeam + "} on source, {team=" + team
                    + "} on target (same bytes)");
        });

        RunResult r = engine.run(spec().build(), ProgressListener.NONE);
        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.bytesCopied()).isZero();
        assertThat(dst.puts.get()).isEqualTo(puts);
        assertThat(dst.tagWrites.get()).isEqualTo(1);
        assertThat(dst.attributeWrites.get()).as("tags alone: the object itself is not rewritten (S3: no CopyObject)")
                .isZero();
        assertThat(dst.attributes.get("doc.bin").tags()).isEqualTo(Map.of("team", newTeam));

        PlanSummary again = engine.plan(spec().build()).summary();
        assertThat(again.metadataCount() + again.transferCount()).isZero();
    }

    @Test
    void tagsAListingLeavesOutAreComparedOnlyWhenReadWithCompareChecksum() {
        copiedOnce(spec().build(), Map.of("team", team));
        src.listsWithoutTags = true;
        dst.listsWithoutTags = true;
        src.attributes.put("doc.bin", tagged(Map.of("team", newTeam)));
        int stats = src.stats.get() + dst.stats.get();

        assertThat(engine.plan(spec().build()).summary().metadataCount())
                .as("size-mtime: the listings show no change, and no tags").isZero();
        assertThat(src.stats.get() + dst.stats.get()).as("no request per object").isEqualTo(stats);

        RunResult r = engine.run(spec().compare(Compare.CHECKSUM).build(), ProgressListener.NONE);
        assertThat(r.plan().metadataCount()).as("checksum: every pair read in full").isEqualTo(1);
        assertThat(dst.attributes.get("doc.bin").tags()).isEqualTo(Map.of("team", newTeam));
    }

    /**
     * A checksum run compares no times, so its tag update does not rewrite the object for a time that differs (an
     * S3 server-side copy's LastModified, without a kept time): S3 would otherwise get a CopyObject onto itself.
     */
    @Test
    void aRetagCarriedByACompareChecksumRunRewritesNoObjectWhoseTimeDiffers() {
        MigrationSpec checksum = spec().compare(Compare.CHECKSUM).build();
        copiedOnce(checksum, Map.of("team", team));
        dst.add("doc.bin", bytes("same bytes"), T0.plusSeconds(3600), tagged(Map.of("team", team)));
        src.attributes.put("doc.bin", tagged(Map.of("team", newTeam)));

        RunResult r = engine.run(checksum, ProgressListener.NONE);

        assertThat(r.plan().metadataCount()).isEqualTo(1);
        assertThat(dst.tagWrites.get()).isEqualTo(1);
        assertThat(dst.attributeWrites.get()).as("tags alone: no attribute rewrite for the time").isZero();
        assertThat(dst.attributes.get("doc.bin").tags()).isEqualTo(Map.of("team", newTeam));
    }

    @Test
    void tagRulesApplyToTheComparisonAndCaravansOwnTagsAreKept() {
        MigrationSpec ruled = spec().metadataRules(List.of("drop:tag.secret*", "rename:tag.Team=tag.team")).build();
        copiedOnce(ruled, Map.of("Team", team, "secret-a", "1"));
        assertThat(dst.attributes.get("doc.bin").tags()).isEqualTo(Map.of("team", team));
        Map<String, String> withOwn = Map.of("team", team, "caravan-x", "kept");
        dst.attributes.put("doc.bin", tagged(withOwn));

        PlanSummary unchanged = engine.plan(ruled).summary();
        assertThat(unchanged.metadataCount() + unchanged.transferCount())
                .as("a dropped tag, a renamed one and Caravan's own are no difference").isZero();

        src.attributes.put("doc.bin", tagged(Map.of("Team", newTeam, "secret-a", "2")));
        RunResult r = engine.run(ruled, ProgressListener.NONE);
        assertThat(r.plan().metadataCount()).isEqualTo(1);
        assertThat(dst.attributes.get("doc.bin").tags()).isEqualTo(Map.of("team", newTeam, "caravan-x", "kept"));
    }

    @Test
    void tagsAreNotComparedWhenTheSourceKeepsNone() {
        copiedOnce(spec().build(), Map.of());
        src.keeps = Set.of(MetadataKind.CONTENT_TYPE, MetadataKind.CONTENT_HEADERS, MetadataKind.USER_METADATA);
        dst.attributes.put("doc.bin", tagged(Map.of("team", team)));

        assertThat(engine.plan(spec().compare(Compare.CHECKSUM).build()).summary().metadataCount()).isZero();
    }
}
