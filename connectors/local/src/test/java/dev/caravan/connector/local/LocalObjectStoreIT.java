package dev.caravan.connector.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.contract.ObjectStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** Runs the {@link ObjectStoreContract} against a real directory with the default options. */
class LocalObjectStoreIT extends ObjectStoreContract {

    @TempDir
    Path tmp;

    private Path root;

    /** The option values of the store under test; subclasses vary them. */
    protected Map<String, String> options() {
        return Map.of();
    }

    @Override
    protected ObjectStore newStore() {
        root = tmp.resolve("outside").resolve("root");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        LocalStoreProvider provider = new LocalStoreProvider();
        return provider.open(root.toString(), provider.options().resolve(options()));
    }

    @Override
    protected void assertNothingWrittenOutside() {
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> !p.startsWith(root) && !p.equals(tmp) && !p.equals(root.getParent())))
                    .as("files written outside the store root " + root)
                    .isEmpty();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(Path.of("/abs")).doesNotExist();
    }
}
