package dev.caravan.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a failed route prints: one line by default, Camel's full report when asked for. */
class CamelLoggingTest {
    @TempDir
    Path tmp;

    /** Runs one route from a one-shot timer with the given steps (YAML list items) and returns what was logged. */
    private String run(CamelLogging logging, String steps) throws IOException {
        Path routes = Files.writeString(tmp.resolve("routes.yaml"), """
                - route:
                    id: failing
                    from:
                      uri: "timer:failing?repeatCount=1"
                      steps:
                """ + steps.indent(8));
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (CaravanRuntime runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")))
                .camelLogging(logging)) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            RoutesRun result = runtime.runRoutes(List.of(routes), ProgressListener.NONE);
            assertThat(result.errors()).hasSize(1);
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private String missingSource() {
        return "- to: \"caravan:migrate?source=local:" + tmp.resolve("missing") + "&target=local:"
                + tmp.resolve("dst") + "\"";
    }

    @Test
    void badInputIsNotLoggedWithAStackTraceByDefault() throws IOException {
        String out = run(CamelLogging.QUIET, missingSource());
        assertThat(out).doesNotContain("ERROR").doesNotContain("Stacktrace").doesNotContain("\tat ")
                .doesNotContain("does not exist");
    }

    @Test
    void anUnexpectedExceptionIsLoggedOnceWithItsStackTrace() throws IOException {
        String out = run(CamelLogging.QUIET, """
                - throwException:
                    exceptionType: "java.lang.IllegalStateException"
                    message: "a bug in a step"
                """);
        assertThat(out).doesNotContain("ERROR").doesNotContain("DefaultErrorHandler").contains("\tat ");
        assertThat(out.split("IllegalStateException: a bug in a step", -1)).hasSize(3); // the WARN line + the trace
    }

    @Test
    void camelsOwnReportCanBeHadBack() throws IOException {
        String out = run(CamelLogging.CAMEL, missingSource());
        assertThat(out).contains("ERROR org.apache.camel.processor.errorhandler.DefaultErrorHandler")
                .contains("Stacktrace");
    }
}
