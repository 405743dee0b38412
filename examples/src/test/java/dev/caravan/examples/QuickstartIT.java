package dev.caravan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quickstart exactly as its README says ({@code caravan run examples/quickstart/quickstart.yaml} from the
 * repository root; Failsafe's working directory is the root), in-process through the CLI's main class.
 */
class QuickstartIT {
    static final Path YAML = Path.of("examples/quickstart/quickstart.yaml");
    static final Path SAMPLE = Path.of("examples/quickstart/sample-data");
    static final Path OUT = Path.of("examples/quickstart/out");

    @TempDir
    Path home;

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Result caravan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("--home", home.toString(), "--no-progress"), Stream.of(args))
                .toArray(String[]::new);
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void cleanOutput() throws IOException {
        assertThat(YAML).as("working directory must be the repository root").exists();
        if (Files.exists(OUT)) {
            try (Stream<Path> s = Files.walk(OUT)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    @Test
    void quickstartCopiesAndVerifiesTheSampleData() throws IOException {
        Result run = caravan("run", YAML.toString());
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).contains("quickstart", "complete and verified", "report");

        List<String> expected = files(SAMPLE);
        assertThat(expected).contains("customers.csv", "orders.json", "archive/2024/notes.txt");
        assertThat(files(OUT)).isEqualTo(expected);
        for (String f : expected) {
            assertThat(Files.mismatch(SAMPLE.resolve(f), OUT.resolve(f))).as(f).isEqualTo(-1L);
        }
        try (Stream<Path> reports = Files.list(home.resolve("reports"))) {
            assertThat(reports.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".html"))
                    .anyMatch(n -> n.endsWith(".json"));
        }

        Result again = caravan("run", YAML.toString());
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).as(again.toString()).contains("copied    0 objects");

        Result verify = caravan("verify", YAML.toString());
        assertThat(verify.code()).as(verify.toString()).isZero();

        Result plan = caravan("plan", YAML.toString());
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("nothing was written");
    }
}
