package dev.caravan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code templatedRoute} parameter given twice with different values (a block edited by copying a line) is
 * refused, naming both lines, as the command line refuses an option given twice: Camel silently took the last one,
 * so a {@code target} or {@code mode} given twice ran against the value further down, unseen.
 */
class TemplateParameterTwiceTest {
    static final Path TEMPLATES = Path.of("../../routes/src/main/resources/caravan/routes");
    @TempDir
    Path tmp;
    private CaravanRuntime runtime;
    private Path source;
    private Path target;

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(source.resolve("a.txt"), "a");
        target = tmp.resolve("backup");
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")));
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    @Test
    void aParameterGivenTwiceWithDifferentValuesIsRefusedNamingBothLinesAndNoValue() throws IOException {
        String secret = "p" + UUID.randomUUID();
        Path routes = Files.writeString(tmp.resolve("twice.yaml"), """
                - templatedRoute:
                    routeTemplateRef: physical-files
                    routeId: twice
                    parameters:
                      - { name: source, value: "local:%s" }
                      - { name: target, value: "local:%s" }
                      - { name: targetPassword, value: "%s" }
                      - { name: target, value: "local:%s" }
                      - { name: targetPassword, value: "%s" }
                """.formatted(source, target, secret, tmp.resolve("elsewhere"), secret + "x"));

        assertThatThrownBy(() -> runtime.runRoutes(List.of(TEMPLATES.resolve("physical/files.yaml"), routes),
                ProgressListener.NONE))
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
                    assertThat(e.getMessage()).startsWith(routes + ":8: parameter 'target' of templatedRoute 'twice'"
                            + " is given twice with different values (also at line 6)").doesNotContain(secret);
                });
        assertThat(target).doesNotExist();
        assertThat(tmp.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void theSameValueTwiceIsHarmless() throws IOException {
        Path routes = Files.writeString(tmp.resolve("same.yaml"), """
                - templatedRoute:
                    routeTemplateRef: logical-files
                    routeId: same
                    parameters:
                      - { name: source, value: "local:%s" }
                      - { name: target, value: "local:%s" }
                      - { name: target, value: "local:%s" }
                """.formatted(source, target, target));
        assertThat(runtime.runRoutes(List.of(TEMPLATES.resolve("logical/files.yaml"), routes), ProgressListener.NONE)
                .exitCode()).isZero();
        assertThat(target.resolve("a.txt")).hasContent("a");
    }
}
