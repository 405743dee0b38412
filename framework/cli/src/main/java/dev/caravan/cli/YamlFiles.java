package dev.caravan.cli;

import dev.caravan.api.error.MigrationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks the YAML files given to {@code run}, {@code plan} and {@code verify} before Camel starts. */
final class YamlFiles {
    private static final Pattern LOCATION = Pattern.compile("[a-z][a-z0-9+.-]*:");

    private YamlFiles() {
    }

    /** Whether an argument names a YAML file ({@code .yaml} or {@code .yml}). */
    static boolean isYaml(String arg) {
        String a = arg.toLowerCase(Locale.ROOT);
        return a.endsWith(".yaml") || a.endsWith(".yml");
    }

    /** Whether a missing file's name reads as a location ({@code local:/data}, {@code s3:bucket/prefix}). */
    private static boolean looksLikeLocation(String name) {
        return LOCATION.matcher(name).lookingAt() && !isYaml(name);
    }

    /** Absolute paths of readable regular files; a missing one is a NOT_FOUND error (exit code 2). */
    static List<Path> check(List<Path> files) {
        for (Path f : files) {
            if (!Files.exists(f)) {
                throw MigrationException.notFound("no such file: " + f + (looksLikeLocation(f.toString())
                        ? " (this command reads YAML files; to see what a copy between two locations would do, run"
                        + " caravan copy SOURCE TARGET --dry-run, or sync or move)" : ""));
            }
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                throw MigrationException.userConfig("not a readable file: " + f);
            }
        }
        return files.stream().map(f -> f.toAbsolutePath().normalize()).toList();
    }
}
