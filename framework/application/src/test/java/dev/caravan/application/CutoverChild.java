package dev.caravan.application;

import java.nio.file.Path;
import java.util.Map;

/** A child JVM for {@link KilledCutoverIT}: runs one application plan ({@code <plan> <workDir> <ENV>}). */
public final class CutoverChild {
    private CutoverChild() {
    }

    public static void main(String[] args) {
        ApplicationReport report = ApplicationMigration.load(Path.of(args[0]), ApplicationSettings.defaults()
                .withWorkDir(Path.of(args[1])).withVariables(Map.of("ENV", args[2]))).run();
        System.out.println(report.toText());
        System.exit(report.exitCode());
    }
}
