package dev.caravan.connector.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataCheck.Refusal;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Content type, content headers, user metadata and tags kept in user extended attributes. The files live under
 * {@code target/} (the project's file system) rather than in /tmp, which may be a tmpfs without user attributes on
 * older kernels; the test first proves that this file system has them.
 */
class LocalXattrsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123Z");
    private static final PutRequest FULL = new PutRequest(3, T0, "application/pdf",
            Map.of("owner", "ann", "note", "caf\u00e9"), -1,
            new ContentHeaders("max-age=60", "attachment; filename=\"a.pdf\"", "gzip", "de-CH"), Map.of("team", "red"));

    private Path dir;

    @BeforeEach
    void dir() throws IOException {
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "xattrs");
        assertThat(Files.getFileStore(dir).supportsFileAttributeView(UserDefinedFileAttributeView.class))
                .as("the project's file system (%s) has user extended attributes", Files.getFileStore(dir).type())
                .isTrue();
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static ObjectInfo put(LocalObjectStore store, String key, PutRequest request) {
        return store.put(key, new ByteArrayInputStream("pdf".getBytes(StandardCharsets.UTF_8)), request);
    }

    private static String xattr(Path file, String name) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        ByteBuffer b = ByteBuffer.allocate(view.size(name));
        view.read(name, b);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void attributesRoundTripThroughExtendedAttributesWithRcloneCompatibleNames() throws IOException {
        LocalObjectStore store = LocalObjectStore.open(dir, LocalStoreSettings.DEFAULTS);
        assertThat(store.features().keeps()).containsExactlyInAnyOrder(MetadataKind.values());

        ObjectInfo written = put(store, "d/a.pdf", FULL);
        ObjectInfo stat = store.stat("d/a.pdf").orElseThrow();

        for (ObjectInfo info : new ObjectInfo[] {written, stat}) {
            assertThat(info.contentType()).isEqualTo("application/pdf");
            assertThat(info.headers()).isEqualTo(FULL.headers());
            assertThat(info.metadata()).isEqualTo(FULL.metadata());
            assertThat(info.tags()).isEqualTo(FULL.tags());
        }
        assertThat(stat.modTime()).isEqualTo(T0);
        Path file = dir.resolve("d/a.pdf");
        assertThat(xattr(file, "owner")).isEqualTo("ann");
        assertThat(xattr(file, "note")).isEqualTo("caf\u00e9");
        assertThat(xattr(file, "mime_type")).isEqualTo("application/pdf");
        assertThat(xattr(file, "caravan.cache-control")).isEqualTo("max-age=60");
        assertThat(xattr(file, "caravan.tag.team")).isEqualTo("red");
    }

    @Test
    void aFileWithoutAKeptContentTypeReportsTheOneItsNameImpliesUnlessGuessingIsOff() throws IOException {
        LocalObjectStore store = LocalObjectStore.open(dir, LocalStoreSettings.DEFAULTS);
        ObjectInfo written = put(store, "site/index.html", new PutRequest(3, T0, null, Map.of(), -1));
        put(store, "notes.html", new PutRequest(3, T0, "text/plain", Map.of(), -1));

        assertThat(written.contentType()).isEqualTo("text/html");
        assertThat(store.stat("site/index.html").orElseThrow().contentType()).isEqualTo("text/html");
        assertThat(Files.getFileAttributeView(dir.resolve("site/index.html"), UserDefinedFileAttributeView.class)
                .list()).isEmpty();
        assertThat(store.stat("notes.html").orElseThrow().contentType()).isEqualTo("text/plain"); // kept one wins
        assertThat(store.impliedContentType("a/b.JSON")).isEqualTo("application/json");
        assertThat(store.stat("a").isPresent()).isFalse();

        LocalObjectStore off = LocalObjectStore.open(dir, new LocalStoreSettings(true, false, true, false,
                true, true, false));
        assertThat(off.stat("site/index.html").orElseThrow().contentType()).isNull();
        assertThat(off.stat("notes.html").orElseThrow().contentType()).isEqualTo("text/plain");
        assertThat(off.impliedContentType("a/b.json")).isNull();
    }

    @Test
    void aRenamedTemporaryKeepsItsAttributesAndARewriteDropsStaleOnes() {
        LocalObjectStore store = LocalObjectStore.open(dir, LocalStoreSettings.DEFAULTS);
        put(store, "a.partial", FULL);
        put(store, "a.partial", new PutRequest(3, T0, null, Map.of("owner", "bob"), -1));
        store.rename("a.partial", "a");

        ObjectInfo stat = store.stat("a").orElseThrow();
        assertThat(stat.metadata()).isEqualTo(Map.of("owner", "bob"));
        assertThat(stat.contentType()).isNull();
        assertThat(stat.headers()).isEqualTo(ContentHeaders.EMPTY);
        assertThat(stat.tags()).isEmpty();

        // a rewrite without any attributes drops them all (only a file the put created has none to drop)
        put(store, "b.partial", FULL);
        put(store, "b.partial", new PutRequest(3, T0, null, Map.of(), -1));
        ObjectInfo bare = store.stat("b.partial").orElseThrow();
        assertThat(bare.metadata()).isEmpty();
        assertThat(bare.contentType()).isNull();
        assertThat(bare.tags()).isEmpty();
    }

    @Test
    void withXattrsOffNothingIsKeptAndTheStoreSaysSo() throws IOException {
        LocalObjectStore store = LocalObjectStore.open(dir, new LocalStoreSettings(true, false, true, false,
                true, false));
        assertThat(store.features().keeps()).isEmpty();

        put(store, "a", FULL);

        assertThat(Files.getFileAttributeView(dir.resolve("a"), UserDefinedFileAttributeView.class).list()).isEmpty();
        assertThat(store.stat("a").orElseThrow().metadata()).isEmpty();
        assertThat(store.refusals("a", FULL)).isEmpty();
    }

    @Test
    void reservedNamesAndWhatExceedsTheFileSystemAreRefusedOneByOne() {
        LocalObjectStore store = LocalObjectStore.open(dir, LocalStoreSettings.DEFAULTS);
        String big = "x".repeat(3000);
        PutRequest request = new PutRequest(3, T0, "text/plain", Map.of("mime_type", "a", "caravan.tag.x", "b",
                "a-big", big, "b-big", big, "ok", "1"), -1, ContentHeaders.EMPTY, Map.of());

        assertThat(store.refusals("k", request)).extracting(Refusal::name).contains("mime_type", "caravan.tag.x",
                "b-big").doesNotContain("a-big", "ok", "contentType");
    }
}
