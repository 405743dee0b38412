package dev.caravan.cli;

import dev.caravan.api.error.MigrationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Checks the YAML files given to {@code run}, {@code plan} and {@code verify} before Camel starts. */
final class YamlFiles {
    private YamlFiles() {
    }

    /** Whether an argument names a YAML file ({@code .yaml} or {@code .yml}). */
    static boolean isYaml(String arg) {
        String a = arg.toLowerCase(Locale.ROOT);
        return a.endsWith(".yaml") || a.endsWith(".yml");
    }

    /** Absolute paths of readable regular files; a missing one is a NOT_FOUND error (exit code 2). */
    static List<Path> check(List<Path> files) {
        for (Path f : files) {
            if (!Files.exists(f)) {
                throw MigrationException.notFound("no such file: " + f);
            }
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                throw MigrationException.userConfig("not a readable file: " + f);
            }
        }
        return files.stream().map(f -> f.toAbsolutePath().normalize()).toList();
    }
}
