package dev.caravan.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataCheck;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.StoreFeatures;
import dev.caravan.core.metadata.MetadataNote.Action;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataMappingTest {
    private static final ObjectInfo SOURCE = new ObjectInfo("a/b.bin", 3, Instant.parse("2026-01-01T00:00:00Z"),
            Map.of(), null, "image/png", Map.of("Owner", "ann", "owner", "bob", "x-temp", "1"), -1,
            new ContentHeaders("max-age=60", "attachment", null, "de"), Map.of("team", "red"));

    private static MetadataMapping mapping(ObjectStore target, String... rules) {
        return new MetadataMapping(MetadataRule.parseAll(List.of(rules)), target);
    }

    private static MemoryStore keeping(MetadataKind... kinds) {
        MemoryStore store = new MemoryStore("t");
        store.keeps = Set.of(kinds);
        return store;
    }

    @Test
    void aTargetThatKeepsEverythingGetsEverythingAndNothingIsNoted() {
        MetadataMapping.Mapped m = mapping(keeping(MetadataKind.values())).map(SOURCE);

        assertThat(m.notes()).isEmpty();
        assertThat(m.request()).isEqualTo(PutRequest.from(SOURCE));
    }

    @Test
    void aRenameOntoAnAttributeTheObjectHasSaysThatAttributesValueIsNotKept() {
        MetadataMapping.Mapped m = mapping(keeping(MetadataKind.values()), "rename:metadata.x-temp=metadata.owner")
                .map(SOURCE);

        assertThat(m.request().metadata()).containsEntry("owner", "1").doesNotContainKey("x-temp");
        assertThat(m.notes()).containsExactly(
                new MetadataNote("metadata.owner", Action.DROPPED_BY_RULE,
                        "rename:metadata.x-temp=metadata.owner wrote metadata.x-temp over it"),
                new MetadataNote("metadata.x-temp", Action.MAPPED, "to metadata.owner"));
    }

    @Test
    void everyAttributeOfAKindTheTargetDoesNotKeepIsNotedOneByOne() {
        MetadataMapping.Mapped m = mapping(keeping(MetadataKind.USER_METADATA)).map(SOURCE);

        assertThat(m.request().metadata()).isEqualTo(SOURCE.metadata());
        assertThat(m.request().contentType()).isNull();
        assertThat(m.request().headers()).isEqualTo(ContentHeaders.EMPTY);
        assertThat(m.request().tags()).isEmpty();
        assertThat(m.notes()).extracting(MetadataNote::attribute).containsExactly("contentType", "cacheControl",
                "contentDisposition", "contentLanguage", "tag.team");
        assertThat(m.notes()).allMatch(n -> n.action() == Action.NOT_KEPT);
        assertThat(m.notes().get(0).detail()).isEqualTo("mem:t keeps no content type");
        assertThat(m.notes().get(4).detail()).isEqualTo("mem:t keeps no tags");
    }

    @Test
    void rulesApplyInOrderBeforeTheTargetIsAsked() {
        MetadataMapping.Mapped m = mapping(keeping(MetadataKind.USER_METADATA, MetadataKind.CONTENT_TYPE),
                "drop:metadata.x-*", "rename:cacheControl=metadata.cache-control", "lowercase").map(SOURCE);

        assertThat(m.request().metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("owner", "bob",
                "cache-control", "max-age=60"));
        assertThat(m.request().contentType()).isEqualTo("image/png");
        assertThat(m.notes()).containsExactly(
                new MetadataNote("metadata.x-temp", Action.DROPPED_BY_RULE, "drop:metadata.x-*"),
                new MetadataNote("cacheControl", Action.MAPPED, "to metadata.cache-control"),
                new MetadataNote("metadata.Owner", Action.NOT_KEPT, "collides with metadata.owner after the rule "
                        + "lowercase"),
                new MetadataNote("contentDisposition", Action.NOT_KEPT, "mem:t keeps no content headers"),
                new MetadataNote("contentLanguage", Action.NOT_KEPT, "mem:t keeps no content headers"),
                new MetadataNote("tag.team", Action.NOT_KEPT, "mem:t keeps no tags"));
    }

    @Test
    void whatTheTargetsCheckRefusesIsLeftOutWithItsReasonUnderTheSourcesName() {
        MemoryStore target = keeping(MetadataKind.values());
        List<PutRequest> asked = new ArrayList<>();
        target.check = (key, request) -> {
            asked.add(request);
            return List.of(new MetadataCheck.Refusal(MetadataKind.USER_METADATA, "renamed", "too long"),
                    new MetadataCheck.Refusal(MetadataKind.TAGS, "team", "tags are off"));
        };

        MetadataMapping.Mapped m = mapping(target, "rename:metadata.x-temp=metadata.renamed").map(SOURCE);

        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).metadata()).containsKey("renamed");
        assertThat(m.request().metadata()).containsOnlyKeys("Owner", "owner");
        assertThat(m.request().tags()).isEmpty();
        assertThat(m.notes()).containsExactly(
                new MetadataNote("metadata.x-temp", Action.MAPPED, "to metadata.renamed"),
                new MetadataNote("metadata.x-temp", Action.NOT_KEPT, "too long"),
                new MetadataNote("tag.team", Action.NOT_KEPT, "tags are off"));
    }

    @Test
    void aModificationTimeTheTargetCannotKeepIsNoted() {
        ForwardingStore target = new ForwardingStore(new MemoryStore("t")) {
            @Override
            public StoreFeatures features() {
                return new StoreFeatures(Set.of(), null, false, false, true, false, StoreFeatures.ALL_METADATA);
            }
        };

        assertThat(mapping(target).map(SOURCE).notes()).containsExactly(new MetadataNote("modTime",
                Action.NOT_KEPT, "mem:t keeps no modification time"));
    }

    @Test
    void aContentTypeTheTargetInfersFromTheNameIsNeitherWrittenNorNotedAndAnyOtherIs() {
        for (MemoryStore memory : List.of(keeping(MetadataKind.values()), keeping())) {
            ForwardingStore target = new ForwardingStore(memory) {
                @Override
                public String impliedContentType(String key) {
                    return key.endsWith(".bin") ? "IMAGE/PNG" : null;
                }
            };

            MetadataMapping.Mapped implied = mapping(target).map(SOURCE);
            assertThat(implied.request().contentType()).isNull();
            assertThat(implied.notes()).extracting(MetadataNote::attribute).doesNotContain("contentType");

            MetadataMapping.Mapped other = mapping(target).map(SOURCE.withAttributes("text/plain", SOURCE.headers(),
                    SOURCE.metadata(), SOURCE.tags()));
            if (memory.keeps.contains(MetadataKind.CONTENT_TYPE)) {
                assertThat(other.request().contentType()).isEqualTo("text/plain");
            } else {
                assertThat(other.notes()).contains(new MetadataNote("contentType", Action.NOT_KEPT,
                        "mem:t keeps no content type"));
            }
        }
    }

    @Test
    void malformedRulesFailAsUserConfigNamingTheForms() {
        for (String bad : List.of("drop:", "rename:a=b", "rename:metadata.a", "upcase", "rename:=metadata.b")) {
            assertThatThrownBy(() -> MetadataRule.parse(bad)).isInstanceOf(MigrationException.class)
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        }
        assertThatThrownBy(() -> MetadataRule.parse("upcase")).hasMessageContaining("drop:GLOB, rename:FROM=TO, "
                + "lowercase");
    }

    @Test
    void notesSurviveTheJournalsTextForm() {
        List<MetadataNote> notes = List.of(new MetadataNote("metadata.a\tb", Action.NOT_KEPT, "why\nnot"),
                new MetadataNote("tag.t", Action.MAPPED, "to tag.u"));

        assertThat(MetadataNote.decode(MetadataNote.encode(notes))).containsExactly(
                new MetadataNote("metadata.a b", Action.NOT_KEPT, "why not"), notes.get(1));
    }
}
