package dev.caravan.connector.local;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.config.OptionDef;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider: registration, declared options and how a location becomes a root. */
class LocalStoreProviderTest {
    private final LocalStoreProvider provider = new LocalStoreProvider();

    @TempDir
    Path tmp;

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> assertThat(p.scheme()).isEqualTo("local"));
    }

    @Test
    void declaresEveryOptionWithADescriptionAndDefault() {
        assertThat(provider.options().list()).extracting(OptionDef::name)
                .containsExactly("createRoot", "followSymlinks", "preserveMode", "fsync", "sparse", "xattrs",
                        "guessContentType");
        assertThat(provider.options().list()).allSatisfy(def -> {
            assertThat(def.description()).hasSizeGreaterThan(40);
            assertThat(def.defaultValue()).isIn("true", "false");
            assertThat(def.secret()).isFalse();
        });
    }

    @Test
    void unknownOptionsAreRefusedWithTheListOfKnownOnes() {
        assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "unknown option",
                () -> provider.options().resolve(Map.of("followLinks", "true"))))
                .hasMessageContaining("unknown option 'followLinks'")
                .hasMessageContaining("createRoot, followSymlinks, preserveMode, fsync");
        assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "bad boolean",
                () -> provider.options().resolve(Map.of("fsync", "yes"))))
                .hasMessageContaining("fsync").hasMessageContaining("true or false");
    }

    @Test
    void opensAbsoluteAndRelativeLocations() throws IOException {
        try (ObjectStore store = provider.open(tmp.toString(), null)) {
            assertThat(store.uri()).isEqualTo("local:" + tmp);
        }
        Path relative = Path.of("target", "relative-root-" + ProcessHandle.current().pid());
        try (ObjectStore store = provider.open(relative.toString(),
                provider.options().resolve(Map.of("createRoot", "true")))) {
            assertThat(store.uri()).isEqualTo("local:" + relative.toAbsolutePath().normalize());
            assertThat(relative).as("opening creates nothing").doesNotExist();
            store.put("k", java.io.InputStream.nullInputStream(), dev.caravan.api.store.PutRequest.ofSize(0));
            assertThat(relative).as("the first write creates the root").isDirectory();
            store.delete("k");
        } finally {
            Files.deleteIfExists(relative.resolve("k"));
            Files.deleteIfExists(relative);
        }
    }

    @Test
    void refusesABlankLocationAndAFile() throws IOException {
        assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "blank", () -> provider.open(" ", null)))
                .hasMessageContaining("local:/data");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "file as root", () -> provider.open(file.toString(), null)))
                .hasMessageContaining(file + " is not a directory but a file (to copy one file, give its directory"
                        + " and select it: local:" + tmp + " --include '/file')");
    }
}
