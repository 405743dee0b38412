package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.core.registry.ConnectorRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The connector reference ({@code docs/connectors/<scheme>.md}) is generated from the declared options. This test
 * regenerates every page of the connectors on the CLI's class path and fails when a committed page differs.
 * To update the pages: {@code mvn -pl framework/cli test -Dtest=DocsGeneratorTest -Dcaravan.updateDocs=true}.
 */
class DocsGeneratorTest {

    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null
                && !(Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("framework")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("repository root (with docs/ and framework/) not found above "
                    + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @Test
    void connectorPagesMatchTheDeclaredOptions() throws IOException {
        List<ConnectorProvider> all = ConnectorRegistry.load().all();
        assertThat(all).extracting(ConnectorProvider::scheme).contains("local");
        Path docs = repoRoot().resolve("docs/connectors");
        boolean update = Boolean.getBoolean("caravan.updateDocs");
        for (ConnectorProvider p : all) {
            Path page = docs.resolve(p.scheme() + ".md");
            String expected = OptionDocs.markdown(p);
            if (update) {
                Files.createDirectories(docs);
                Files.writeString(page, expected, StandardCharsets.UTF_8);
                continue;
            }
            assertThat(page).as("%s is missing; generate it with -Dcaravan.updateDocs=true", page).exists();
            assertThat(Files.readString(page, StandardCharsets.UTF_8))
                    .as("%s differs from the declared options of '%s'; regenerate it: mvn -pl framework/cli test "
                            + "-Dtest=DocsGeneratorTest -Dcaravan.updateDocs=true", page, p.scheme())
                    .isEqualTo(expected);
        }
    }
}
