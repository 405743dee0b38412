package dev.caravan.runtime;

import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the route template files on the class path (directories and jars) under one folder and names them as
 * {@code classpath:} resources. Camel's own {@code classpath:caravan/routes/**}{@code /*.yaml} scanning loses the
 * sub-folder inside jars (4.18), so the files are listed here and handed to Camel one by one.
 */
final class TemplateResources {
    private TemplateResources() {
    }

    /** Every {@code .yaml} file below {@code folder} (no leading slash), sorted, as {@code classpath:...}. */
    static List<String> find(String folder) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = TemplateResources.class.getClassLoader();
        }
        Set<String> found = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(folder);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("file".equals(root.getProtocol())) {
                    fromDirectory(Path.of(root.toURI()), folder, found);
                } else if ("jar".equals(root.getProtocol())) {
                    fromJar(root, folder, found);
                }
            }
        } catch (IOException | UncheckedIOException | URISyntaxException e) {
            throw new MigrationException(dev.caravan.api.error.ErrorKind.FATAL,
                    "cannot list the route templates on the class path under " + folder + ": " + e.getMessage(), e);
        }
        return List.copyOf(found);
    }

    private static void fromDirectory(Path dir, String folder, Set<String> found) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> Files.isRegularFile(p) && isYaml(p.getFileName().toString()))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .forEach(rel -> found.add("classpath:" + folder + "/" + rel));
        }
    }

    private static void fromJar(URL root, String folder, Set<String> found) throws IOException {
        URLConnection connection = root.openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
            return;
        }
        jarConnection.setUseCaches(false);
        try (JarFile jar = jarConnection.getJarFile()) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                JarEntry entry = entries.nextElement();
                if (!entry.isDirectory() && entry.getName().startsWith(folder + "/") && isYaml(entry.getName())) {
                    found.add("classpath:" + entry.getName());
                }
            }
        }
    }

    private static boolean isYaml(String name) {
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }
}
