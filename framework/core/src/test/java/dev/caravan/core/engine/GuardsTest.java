package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.testing.MemoryStore;
import org.junit.jupiter.api.Test;

class GuardsTest {
    private static PlanSummary plan(long deletes, long source, long target) {
        return new PlanSummary(0, 0, 0, 0, deletes, 0, 0, 0, source, target);
    }

    private static MigrationSpec sync(String maxDelete) {
        return MigrationSpec.builder("mem:a", "mem:b").mode(Mode.SYNC).maxDelete(maxDelete).build();
    }

    @Test
    void overlappingLocationsAreRefusedWhicheverContainsTheOther() {
        assertThat(Guards.overlap(new MemoryStore("data"), new MemoryStore("data"))).isEqualTo("refusing to copy"
                + " between overlapping locations: the source and the target are the same location, mem:data (a move"
                + " would delete every object); choose a source and a target that do not contain each other");
        assertThat(Guards.overlap(new MemoryStore("data"), new MemoryStore("data/backup")))
                .contains("the target mem:data/backup lies inside the source mem:data");
        assertThat(Guards.overlap(new MemoryStore("data/sub/"), new MemoryStore("data")))
                .contains("the source mem:data/sub/ lies inside the target mem:data", "a sync would delete");
    }

    @Test
    void locationsApartOrOnOtherEndpointsMayBeCopiedBetween() {
        assertThat(Guards.overlap(new MemoryStore("data"), new MemoryStore("data2"))).isNull();
        assertThat(Guards.overlap(new MemoryStore("data/a"), new MemoryStore("data/b"))).isNull();
        assertThat(Guards.overlap(new MemoryStore("b?endpoint=http://one"), new MemoryStore("b/x?endpoint=http://two")))
                .isNull();
        assertThat(Guards.overlap(new MemoryStore("b?endpoint=http://one"), new MemoryStore("b/x?endpoint=http://one")))
                .contains("lies inside");
    }

    @Test
    void aLocationNamingOneObjectWithoutAFolderIsStillNamed() {
        MemoryStore object = new MemoryStore("file");
        object.rootIsAnObject = true;
        assertThat(Guards.singleObject("mem:file", object, plan(0, 0, 0)))
                .isEqualTo("mem:file names one object, not a folder of objects, so nothing would be copied");
        assertThat(Guards.singleObject("mem:file", object, plan(0, 1, 0))).as("the source listed objects").isNull();
    }

    @Test
    void countLimit() {
        assertThat(Guards.refusal(sync("3"), plan(3, 10, 10))).isNull();
        assertThat(Guards.refusal(sync("3"), plan(4, 10, 10))).contains("would delete 4 of 10");
    }

    @Test
    void percentageLimit() {
        assertThat(Guards.refusal(sync("10%"), plan(10, 100, 100))).isNull();
        assertThat(Guards.refusal(sync("10%"), plan(11, 100, 100))).contains("maxDelete=10%");
    }

    @Test
    void aMoveCountsWhatItWouldDeleteFromTheSource() {
        MigrationSpec move = MigrationSpec.builder("mem:a", "mem:b").mode(Mode.MOVE).maxDelete("10%").build();
        // 6 to copy, 2 to replace, 3 already on the target: all 11 leave the source, of 20 listed there
        PlanSummary plan = new PlanSummary(6, 0, 2, 0, 11, 0, 3, 0, 20, 5);

        assertThat(Guards.refusal(move, plan)).isEqualTo("move would delete 11 of 20 objects on the source, more "
                + "than maxDelete=10% allows (2): nothing was copied or deleted; raise maxDelete (--max-delete) if this is intended");
        assertThat(Guards.refusal(MigrationSpec.builder("mem:a", "mem:b").mode(Mode.MOVE).maxDelete("11").build(),
                plan)).isNull();
        assertThat(Guards.mayRefuse(MigrationSpec.builder("mem:a", "mem:b").mode(Mode.MOVE).build()))
                .as("without maxDelete a move is never refused (its write probe may overlap the planning)").isFalse();
    }

    @Test
    void emptySourceIsRefusedInSyncOnly() {
        assertThat(Guards.refusal(sync(null), plan(5, 0, 5))).contains("lists no objects");
        assertThat(Guards.refusal(MigrationSpec.builder("mem:a", "mem:b").build(), plan(0, 0, 5))).isNull();
    }
}
