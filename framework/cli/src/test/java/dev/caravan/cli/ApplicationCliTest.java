package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caravan plan} and {@code caravan run} on an application plan (files and config steps between two local
 * environments): the plan writes nothing, the run moves and rewrites, a failing switch hook rolls every step back
 * with exit code 1, and a plan with a dependency cycle is bad input (exit 2) with its line and column.
 */
class ApplicationCliTest {
    @TempDir
    Path dir;
    private Path old;
    private Path neu;

    @BeforeEach
    void environments() throws IOException {
        old = Files.createDirectories(dir.resolve("old"));
        neu = Files.createDirectories(dir.resolve("new"));
        Files.createDirectories(old.resolve("uploads/2024"));
        Files.writeString(old.resolve("uploads/logo.svg"), "<svg/>");
        Files.writeString(old.resolve("uploads/2024/notes.txt"), "moth");
        Files.writeString(old.resolve("app.properties"), "upload.dir=" + old.resolve("uploads") + "\nport=8080\n");
    }

    private Path plan(String switchCommand) throws IOException {
        return Files.writeString(dir.resolve("app.yaml"), """
                application:
                  name: notes
                  steps:
                    - id: uploads
                      kind: files
                      from: local:%1$s/uploads
                      to: local:%2$s/uploads
                    - id: config
                      kind: config
                      after: [uploads]
                      from: local:%1$s
                      to: local:%2$s
                      files: [app.properties]
                      substitutions:
                        - find: '%1$s/uploads'
                          replace: '%2$s/uploads'
                  cutover:
                    switch:
                      - shell: '%3$s'
                """.formatted(old, neu, switchCommand));
    }

    private CliRunner.Result caravan(String... args) {
        return CliRunner.inHome(dir.resolve("home"), args);
    }

    @Test
    void planShowsTheStepsInOrderAndWritesNothing() throws IOException {
        CliRunner.Result r = caravan("plan", plan("true").toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).contains("uploads", "config");
        assertThat(r.out().indexOf("uploads")).isLessThan(r.out().lastIndexOf("config"));
        try (var left = Files.list(neu)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void runMovesFilesAndRewritesTheConfig() throws IOException {
        CliRunner.Result r = caravan("run", plan("touch " + dir.resolve("switched")).toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(neu.resolve("uploads/2024/notes.txt")).hasContent("moth");
        assertThat(neu.resolve("uploads/logo.svg")).hasContent("<svg/>");
        assertThat(Files.readString(neu.resolve("app.properties"))).contains("upload.dir=" + neu.resolve("uploads"))
                .doesNotContain(old.toString());
        assertThat(dir.resolve("switched")).exists();
        assertThat(Files.readString(old.resolve("app.properties"))).contains("upload.dir=" + old.resolve("uploads"));
    }

    @Test
    void aFailingSwitchRollsBackEveryStepWithExitCode1() throws IOException {
        CliRunner.Result r = caravan("run", plan("exit 3").toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).contains("application notes was not moved");
        assertThat(neu.resolve("app.properties")).doesNotExist();
        assertThat(neu.resolve("uploads/logo.svg")).doesNotExist();
        assertThat(old.resolve("uploads/logo.svg")).hasContent("<svg/>");
    }

    @Test
    void aDependencyCycleIsBadInputWithItsPosition() throws IOException {
        Path file = Files.writeString(dir.resolve("cycle.yaml"), """
                application:
                  name: notes
                  steps:
                    - id: a
                      kind: files
                      after: [b]
                      from: local:%1$s/uploads
                      to: local:%2$s/a
                    - id: b
                      kind: files
                      after: [a]
                      from: local:%1$s/uploads
                      to: local:%2$s/b
                """.formatted(old, neu));

        CliRunner.Result r = caravan("run", file.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).contains("cycle.yaml:").containsPattern("a -> b -> a|b -> a -> b");
        try (var left = Files.list(neu)) {
            assertThat(left).isEmpty();
        }
    }
}
