package dev.caravan.connector.jdbc.dialect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/**
 * Points sqlite-jdbc at a copy of its native library kept in the user's cache
 * ({@code $XDG_CACHE_HOME/caravan/sqlite-jdbc-VERSION/}, else {@code ~/.cache/...}). Without it, the driver extracts
 * the library into the temporary directory under a new name on every JVM start and compares the copy with the jar
 * byte by byte (about 0.3 s of the first connection). The copy is written to a temporary name and moved into place,
 * and used only when its size matches the jar's. Any problem (no home, read-only cache, a platform the jar has no
 * library for) leaves the driver's own loading in place; the system properties {@code org.sqlite.lib.path} /
 * {@code org.sqlite.lib.name} set by the user win. Runs once per JVM.
 */
final class SqliteNativeLibrary {
    private static volatile boolean done;

    private SqliteNativeLibrary() {
    }

    static void prepare() {
        if (done) {
            return;
        }
        synchronized (SqliteNativeLibrary.class) {
            if (!done) {
                try {
                    prepareOnce();
                } catch (IOException | RuntimeException | LinkageError e) {
                    // the driver extracts the library itself
                }
                done = true;
            }
        }
    }

    private static void prepareOnce() throws IOException {
        if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.lib.name") != null) {
            return;
        }
        String name = LibraryLoaderUtil.getNativeLibName();
        String folder = linuxFolder();
        long size = folder == null ? -1 : resourceSize(folder + "/" + name);
        if (size < 0) {
            folder = LibraryLoaderUtil.getNativeLibResourcePath(); // "/org/sqlite/native/Linux/x86_64"
            folder = (folder.startsWith("/") ? "" : "/") + folder;
            size = resourceSize(folder + "/" + name);
        }
        if (size < 0) {
            return;
        }
        String resource = folder + "/" + name;
        Path dir = cacheRoot().resolve("caravan").resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion()
                .replaceAll("[^0-9A-Za-z.]", "_"));
        Path lib = dir.resolve(name);
        if (!Files.isRegularFile(lib) || Files.size(lib) != size) {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        System.setProperty("org.sqlite.lib.path", dir.toAbsolutePath().toString());
        System.setProperty("org.sqlite.lib.name", name);
    }

    /**
     * The driver's resource folder on an ordinary Linux, found the cheap way: the driver tells musl from glibc by
     * resolving every entry of {@code /proc/self/map_files} (about 20 ms of each start); the same paths are in
     * {@code /proc/self/maps}, read at once. {@code null} (the driver decides) anywhere else, Android included.
     */
    static String linuxFolder() {
        if (!"Linux".equals(System.getProperty("os.name")) || System.getProperty("java.runtime.name", "")
                .toLowerCase(Locale.ROOT).contains("android") || Files.exists(Path.of("/system/lib/libGLESv1_CM.so"))
                || System.getenv("TERMUX_VERSION") != null) {
            return null;
        }
        String maps;
        try {
            maps = Files.readString(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        boolean musl = maps.toLowerCase(Locale.ROOT).contains("musl");
        return "/org/sqlite/native/" + (musl ? "Linux-Musl" : "Linux") + "/" + OSInfo.getArchName();
    }

    /**
     * The library's size in the jar, from the jar's directory (not by inflating the ~1.5 MB entry, 10 ms per start);
     * -1 when the jar has no such entry.
     */
    private static long resourceSize(String resource) throws IOException {
        java.net.URL url = SQLiteJDBCLoader.class.getResource(resource);
        if (url == null) {
            return -1;
        }
        java.net.URLConnection c = url.openConnection();
        long size = c.getContentLengthLong(); // a jar: URL answers from the entry's header
        if (size >= 0) {
            return size;
        }
        try (InputStream in = c.getInputStream()) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg);
        }
        String home = System.getProperty("user.home");
        if (home == null || home.isBlank() || home.equals("?")) {
            throw new IllegalStateException("no home directory");
        }
        return Path.of(home, ".cache");
    }
}
