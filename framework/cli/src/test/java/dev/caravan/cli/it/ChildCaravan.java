package dev.caravan.cli.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code caravan} in a child JVM with a given heap, on the test class path, output to a log file. */
final class ChildCaravan {
    private ChildCaravan() {
    }

    static Process start(String heap, Path log, String... args) throws IOException {
        return start(heap, log, List.of(), args);
    }

    /** Like {@link #start(String, Path, String...)} with extra JVM options (e.g. system properties). */
    static Process start(String heap, Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.addAll(jvmOptions);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.caravan.cli.Main");
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static int run(String heap, Path log, String... args) throws IOException, InterruptedException {
        Process p = start(heap, log, args);
        return p.waitFor();
    }

    static String tail(Path log) {
        try {
            String s = java.nio.file.Files.readString(log);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static String uri(Path dir) {
        return "local:" + dir.toAbsolutePath() + (File.separatorChar == '/' ? "" : "");
    }
}
