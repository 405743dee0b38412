package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.journal.TaskId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MovedSourcesTest {
    private final AtomicInteger journalWrites = new AtomicInteger();
    private final List<String> deleted = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> writesAtAdd = new ConcurrentHashMap<>();
    private final Map<String, Integer> writesAtDeletion = new ConcurrentHashMap<>();

    private MovedSources sources(Runnable awaitWritten) {
        return new MovedSources(awaitWritten, moved -> {
            writesAtDeletion.put(moved.key(), journalWrites.get());
            deleted.add(moved.key());
        }, 2);
    }

    private MovedSources sources() {
        return sources(journalWrites::incrementAndGet);
    }

    private void add(MovedSources sources, String key) {
        writesAtAdd.put(key, journalWrites.get());
        sources.add(TaskId.of("a", "b", key), key);
    }

    @Test
    void oneJournalWriteCoversABatchAndComesBeforeItsDeletions() {
        MovedSources sources = sources();
        for (int i = 0; i < 130; i++) {
            add(sources, "k" + i);
        }

        sources.drain();

        assertThat(deleted).hasSize(130).doesNotHaveDuplicates();
        assertThat(journalWrites).as("two full batches and the rest").hasValue(3);
        assertThat(writesAtDeletion).allSatisfy((key, writes) ->
                assertThat(writes).as(key + ": a journal write after its copy was recorded, before its deletion")
                        .isGreaterThan(writesAtAdd.get(key)));
    }

    @Test
    void aSourceWaitsNoLongerThanTheLingerWhenAnotherOneComes() throws InterruptedException {
        MovedSources sources = sources();
        add(sources, "k1");
        Thread.sleep(MovedSources.LINGER_MILLIS + 50);
        assertThat(deleted).as("a batch of one waits for more").isEmpty();

        add(sources, "k2");
        for (int i = 0; i < 200 && deleted.size() < 2; i++) {
            Thread.sleep(10);
        }

        assertThat(deleted).as("deleted without a drain").containsExactlyInAnyOrder("k1", "k2");
        assertThat(journalWrites).hasValue(1);
        sources.drain();
        assertThat(journalWrites).hasValue(1);
    }

    @Test
    void nothingIsDeletedWhenTheJournalCannotBeWritten() {
        MovedSources sources = sources(() -> {
            throw new IllegalStateException("journal broken");
        });
        add(sources, "k1");

        assertThatThrownBy(sources::drain).hasMessage("journal broken");
        assertThat(deleted).isEmpty();
    }

    @Test
    void aDrainWithNothingWaitingWritesNothingAndTheSourcesGoOnAfterIt() {
        MovedSources sources = sources();
        sources.drain();
        assertThat(journalWrites).hasValue(0);

        add(sources, "k1");
        sources.drain();

        assertThat(deleted).containsExactly("k1");
    }
}
