package dev.caravan.connector.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.AttributeWrite;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AttributeWrite} of the local store: a file's kept attributes and modification time are replaced in place,
 * its bytes (and inode) untouched. Files live under {@code target/}, as in {@link LocalXattrsTest}.
 */
class LocalAttributeWriteTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123Z");
    private static final Instant T1 = Instant.parse("2026-03-01T12:00:00.456Z");

    private final String bytes = "bytes " + UUID.randomUUID();
    private final String owner = "owner-" + UUID.randomUUID();
    private final String newOwner = "owner-" + UUID.randomUUID();
    private Path dir;

    @BeforeEach
    void dir() throws IOException {
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "attrwrite");
        assertThat(Files.getFileStore(dir).supportsFileAttributeView(UserDefinedFileAttributeView.class)).isTrue();
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private ObjectInfo put(LocalObjectStore store, String key, PutRequest request) {
        return store.put(key, new ByteArrayInputStream(bytes.getBytes(StandardCharsets.UTF_8)), request);
    }

    private static AttributeWrite writer(LocalObjectStore store) {
        return store.capability(AttributeWrite.class).orElseThrow(() -> new AssertionError("no AttributeWrite"));
    }

    private static UserDefinedFileAttributeView view(Path file) {
        return Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
    }

    private static void setXattr(Path file, String name, String value) throws IOException {
        view(file).write(name, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void attributesAndTimeAreReplacedInPlaceWithoutRewritingTheBytes() throws IOException {
        LocalObjectStore store = LocalObjectStore.open(dir, LocalStoreSettings.DEFAULTS);
        put(store, "d/a.bin", new PutRequest(-1, T0, "application/pdf", Map.of("owner", owner, "note", "old"), -1,
                new ContentHeaders("max-age=60", "inline", "gzip", "de-CH"), Map.of("team", "red")));
        Path file = dir.resolve("d/a.bin");
        setXattr(file, "caravan-sha256", "kept by Caravan for the same bytes");
        setXattr(file, "caravan.future", "a name of Caravan's this version does not know");
        Object inode = Files.readAttributes(file, BasicFileAttributes.class).fileKey();

        PutRequest wanted = new PutRequest(-1, T1, "text/plain", Map.of("owner", newOwner), -1,
                new ContentHeaders("no-cache", null, null, null), Map.of());
        writer(store).replaceAttributes("d/a.bin", wanted);

        assertThat(Files.readAttributes(file, BasicFileAttributes.class).fileKey()).isEqualTo(inode);
        assertThat(Files.readString(file)).isEqualTo(bytes);
        ObjectInfo now = store.stat("d/a.bin").orElseThrow();
        assertThat(now.modTime()).isEqualTo(T1);
        assertThat(now.contentType()).isEqualTo("text/plain");
        assertThat(now.headers().asMap()).isEqualTo(wanted.headers().asMap());
        assertThat(now.metadata()).containsEntry("owner", newOwner).doesNotContainKey("note");
        // what the store keeps for itself stays: tags (ignored by the contract), Caravan's digest, unknown names
        assertThat(now.tags()).isEqualTo(Map.of("team", "red"));
        assertThat(view(file).list()).contains("caravan-sha256", "caravan.future")
                .doesNotContain("caravan.content-disposition", "caravan.content-encoding", "note");

        writer(store).replaceAttributes("d/a.bin", wanted); // idempotent
        assertThat(store.stat("d/a.bin").orElseThrow()).isEqualTo(now);
    }

    @Test
    void aMissingContentTypeLeavesTheTypeTheNameImplies() {
        LocalObjectStore store = LocalObjectStore.open(dir, LocalStoreSettings.DEFAULTS);
        put(store, "page.html", new PutRequest(-1, T0, "text/plain", Map.of(), -1));

        writer(store).replaceAttributes("page.html", new PutRequest(-1, T1, null, Map.of(), -1));

        assertThat(store.stat("page.html").orElseThrow().contentType()).isEqualTo("text/html");
    }

    @Test
    void withoutExtendedAttributesOnlyTheTimeIsSetAsFeaturesSay() throws IOException {
        LocalObjectStore store = LocalObjectStore.open(dir, new LocalStoreSettings(true, false, true, false, true,
                false));
        assertThat(store.features().keeps()).isEmpty();
        assertThat(store.features().keepsModTime()).isTrue();
        put(store, "a.bin", new PutRequest(-1, T0, null, Map.of(), -1));
        Path file = dir.resolve("a.bin");
        setXattr(file, "owner", owner);

        writer(store).replaceAttributes("a.bin", new PutRequest(-1, T1, "text/plain", Map.of("owner", newOwner), -1));

        assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(T1);
        assertThat(Files.readString(file)).isEqualTo(bytes);
        assertThat(view(file).list()).containsExactly("owner"); // not this store's to change
        ByteBuffer value = ByteBuffer.allocate(view(file).size("owner"));
        view(file).read("owner", value);
        assertThat(new String(value.array(), StandardCharsets.UTF_8)).isEqualTo(owner);
    }

    @Test
    void aMissingObjectIsNotFound() {
        LocalObjectStore store = LocalObjectStore.open(dir, LocalStoreSettings.DEFAULTS);

        assertThatThrownBy(() -> writer(store).replaceAttributes("none.bin", new PutRequest(-1, T1, null, Map.of(),
                -1))).isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(dir.resolve("none.bin")).doesNotExist();
    }
}
