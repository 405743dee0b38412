package dev.caravan.core.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report files of a run in a report directory: {@code <runId>.json} and {@code <runId>.html} as
 * {@link ReportWriter} writes them (and any other {@code <runId>.*} beside them), for retention ({@code caravan prune}).
 */
public final class RunReportFiles {
    private RunReportFiles() {
    }

    /** The run's report files in {@code dir}; empty when there are none or no such directory. */
    public static List<Path> of(Path dir, String runId) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir) || runId.contains("/") || runId.contains("\\") || runId.contains("*")) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, runId + ".*")) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    out.add(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the reports in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The total size of {@code files} in bytes (a file gone meanwhile counts 0). */
    public static long bytes(List<Path> files) {
        long sum = 0;
        for (Path f : files) {
            try {
                sum += Files.size(f);
            } catch (IOException e) {
                // removed meanwhile
            }
        }
        return sum;
    }
}
