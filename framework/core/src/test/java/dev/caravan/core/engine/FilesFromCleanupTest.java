package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskId;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.ListedKeys;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.TempNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run with a short {@code --files-from} list, which looks the listed keys up instead of listing the target, removes
 * the temporary objects an interrupted run left for those keys, as a run that lists the target removes all of them,
 * and leaves those of other keys alone.
 */
class FilesFromCleanupTest extends EngineTestBase {

    private static TaskId someTask(String key) {
        return TaskId.of("mem:src", "mem:dst", "copy:" + key + ":1:" + T0.toEpochMilli() + ":earlier");
    }

    @Test
    void aLookupRunRemovesTheTemporaryObjectsOfTheListedKeysOnly() {
        src.add("dir/a", bytes("alpha"), T0);
        src.add("dir/b", bytes("beta"), T0);
        src.add("c", bytes("gamma"), T0);
        // what an interrupted run left: temporaries of listed keys (of an older source version too), and of others
        String leftA = TempNames.partialKey("dir/a", someTask("dir/a"));
        String leftC = TempNames.partialKey("c", someTask("c"));
        String leftUnlisted = TempNames.partialKey("dir/b", someTask("dir/b"));
        String leftPrefixOfA = TempNames.partialKey("dir/ab", someTask("dir/ab")); // name starts as a's does
        for (String left : List.of(leftA, leftC, leftUnlisted, leftPrefixOfA)) {
            dst.add(left, new byte[] {1, 2}, T0);
        }
        MigrationSpec spec = MigrationSpec.builder("mem:src", "mem:dst")
                .filters(Filters.NONE.withFilesFrom(ListedKeys.of(List.of("dir/a", "c"), "list.txt"))).build();

        RunResult r = engine.run(spec, ProgressListener.NONE);

        assertThat(r.outcome()).as(r.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.copied()).isEqualTo(2);
        assertThat(dst.objects().keySet()).containsExactlyInAnyOrder("dir/a", "c", leftUnlisted, leftPrefixOfA);
    }
}
