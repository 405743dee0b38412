package dev.caravan.connector.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk lists every regular file with its size, time and mode, in key order, whether its directory is small
 * enough to keep the facts read with its names or so large that its files are stat-ed again when reached.
 */
class LocalListerTest {
    @TempDir
    Path root;

    @Test
    void smallAndLargeDirectoriesListTheSameFactsInKeyOrder() throws IOException {
        List<String> expected = new ArrayList<>();
        Instant t0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
        write("a.txt", 1, t0, expected);
        write("a/b", 2, t0, expected);
        for (int i = 0; i < LocalLister.KEEP_MAX + 5; i++) { // more than a directory keeps
            write("big/f" + i, i % 7, t0.plusSeconds(i), expected);
        }
        write("small/x", 3, t0, expected);
        write("small/y", 0, t0, expected);
        Files.setPosixFilePermissions(root.resolve("small/x"), PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(root.resolve("small/link"), root.resolve("a.txt")); // skipped: links not followed
        expected.sort(ObjectKeys.ORDER);

        List<ObjectInfo> listed;
        try (Stream<ObjectInfo> s = LocalObjectStore.open(root, LocalStoreSettings.DEFAULTS).list("")) {
            listed = s.toList();
        }

        assertThat(listed).extracting(ObjectInfo::key).containsExactlyElementsOf(expected);
        for (ObjectInfo info : listed) {
            Path file = root.resolve(info.key());
            assertThat(info.size()).as(info.key()).isEqualTo(Files.size(file));
            assertThat(info.modTime()).as(info.key()).isEqualTo(Files.getLastModifiedTime(file).toInstant());
        }
        assertThat(listed).filteredOn(i -> i.key().equals("small/x")).singleElement()
                .extracting(ObjectInfo::posixMode).isEqualTo(0700);
        assertThat(listed).filteredOn(i -> i.key().equals("big/f3")).singleElement()
                .extracting(ObjectInfo::modTime).isEqualTo(t0.plusSeconds(3));
    }

    private void write(String key, int size, Instant time, List<String> keys) throws IOException {
        Path file = root.resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
        Files.setLastModifiedTime(file, FileTime.from(time));
        keys.add(key);
    }
}
