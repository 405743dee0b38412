package dev.caravan.connector.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
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

    @Test
    void aDirectoryWhosePathsAreTooLongIsNotedAsUnlistedAndTheWalkGoesOn() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        Files.writeString(root.resolve("z.txt"), "z");
        // 300 levels of 16 characters: paths past PATH_MAX (4096), made relative to each level (perl's chdir is the
        // system call; a shell's cd and the JDK use whole paths, which the system refuses past PATH_MAX)
        Process p = new ProcessBuilder("perl", "-e", "mkdir 'deep' or die; chdir 'deep' or die; for (1..300) {"
                + " mkdir 'd0123456789abcde' or die; chdir 'd0123456789abcde' or die } open(my $f, '>', 'f.txt')"
                + " or die; print $f 'x'").directory(root.toFile()).inheritIO().start();
        assertThat(p.waitFor()).isZero();

        try {
            LocalObjectStore store = LocalObjectStore.open(root, LocalStoreSettings.DEFAULTS);
            assertThat(keys(store)).containsExactly("a.txt", "z.txt");
            assertThat(store.unlisted().count()).isEqualTo(1);
            assertThat(store.unlisted().shown()).singleElement().asString().startsWith("'deep/d0123456789abcde/")
                    .endsWith("/' (its path is longer than the system allows)");
            assertThat(store.skipped().shown()).as("what keys cannot hold, on the way down").allSatisfy(
                    note -> assertThat(note).contains("a name no key can hold"));
        } finally { // deeper than the JDK's own deletion reaches
            assertThat(new ProcessBuilder("rm", "-rf", "deep").directory(root.toFile()).inheritIO().start()
                    .waitFor()).isZero();
        }
    }

    @Test
    void entriesThatAreNotFilesAreLeftOutAndNamed() throws IOException {
        Files.writeString(root.resolve("a.txt"), "a file");
        Files.createSymbolicLink(root.resolve("link"), root.resolve("a.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), root.resolve("missing"));
        Files.createDirectories(root.resolve("dir"));
        Files.createSymbolicLink(root.resolve("dir/loop"), root);
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(root.resolve("sock")));

            LocalObjectStore plain = LocalObjectStore.open(root, LocalStoreSettings.DEFAULTS);
            assertThat(keys(plain)).containsExactly("a.txt");
            assertThat(plain.skipped().count()).isEqualTo(4);
            assertThat(plain.skipped().shown()).containsExactlyInAnyOrder("'link' (a symbolic link)",
                    "'dangling' (a symbolic link)", "'dir/loop' (a symbolic link)",
                    "'sock' (not a file or directory: a pipe, socket or device)");
            assertThat(plain.skipped().hints()).containsExactly("followSymlinks=true follows links");

            LocalStoreSettings d = LocalStoreSettings.DEFAULTS;
            LocalObjectStore following = LocalObjectStore.open(root, new LocalStoreSettings(d.createRoot(), true,
                    d.preserveMode(), d.fsync(), d.sparse(), d.xattrs(), d.guessContentType()));
            assertThat(keys(following)).containsExactly("a.txt", "link");
            assertThat(following.skipped().shown()).containsExactlyInAnyOrder("'dangling' (a symbolic link to nothing)",
                    "'dir/loop' (a link to a directory it is in: a loop)",
                    "'sock' (not a file or directory: a pipe, socket or device)");
            assertThat(following.skipped().hints()).isEmpty();
        }
    }

    private static List<String> keys(LocalObjectStore store) {
        try (Stream<ObjectInfo> s = store.list("")) {
            return s.map(ObjectInfo::key).toList();
        }
    }

    private void write(String key, int size, Instant time, List<String> keys) throws IOException {
        Path file = root.resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
        Files.setLastModifiedTime(file, FileTime.from(time));
        keys.add(key);
    }
}
