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

    /** Everything after this line of a connector page is written by hand and not compared. */
    static final String HAND_WRITTEN_MARK = "<!-- End of the generated part. The sections below are written by hand. -->";

    @Test
    void connectorPagesMatchTheDeclaredOptions() throws IOException {
        List<ConnectorProvider> all = ConnectorRegistry.load().all();
        assertThat(all).extracting(ConnectorProvider::scheme).contains("local");
        Path docs = repoRoot().resolve("docs/connectors");
        boolean update = Boolean.getBoolean("caravan.updateDocs");
        for (ConnectorProvider p : all) {
            Path page = docs.resolve(p.scheme() + ".md");
            String expected = OptionDocs.markdown(p);
            String handWritten = "";
            if (Files.exists(page)) {
                String text = Files.readString(page, StandardCharsets.UTF_8);
                int mark = text.indexOf(HAND_WRITTEN_MARK);
                if (mark >= 0) { // a page may go on with hand-written sections after the generated part
                    handWritten = text.substring(mark);
                }
            }
            if (update) {
                Files.createDirectories(docs);
                Files.writeString(page, handWritten.isEmpty() ? expected : expected + "\n" + handWritten,
                        StandardCharsets.UTF_8);
                continue;
            }
            assertThat(page).as("%s is missing; generate it with -Dcaravan.updateDocs=true", page).exists();
            String text = Files.readString(page, StandardCharsets.UTF_8);
            int mark = text.indexOf(HAND_WRITTEN_MARK);
            String generated = mark < 0 ? text : text.substring(0, mark); // the generated part, then a blank line
            assertThat(generated)
                    .as("the generated part of %s differs from the declared options of '%s'; regenerate it: mvn -pl"
                            + " framework/cli test -Dtest=DocsGeneratorTest -Dcaravan.updateDocs=true", page, p.scheme())
                    .isEqualTo(mark < 0 ? expected : expected + "\n");
        }
    }
}
