package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeCommandTest {

    /** A connector with a secret, an enum and a required option, to test rendering without a real connector. */
    static final ConnectorProvider FAKE = new ConnectorProvider() {
        @Override
        public String scheme() {
            return "fake";
        }

        @Override
        public String description() {
            return "A fake store for tests.";
        }

        @Override
        public Options options() {
            return Options.of("fake",
                    OptionDef.of("endpoint", OptionType.STRING, "Where the | server is.").asRequired(),
                    OptionDef.of("password", OptionType.PASSWORD, "The password.").withDefault("hunter2"),
                    OptionDef.of("tier", OptionType.STRING, "Storage tier.").withAllowed("hot", "cold")
                            .withDefault("hot"),
                    OptionDef.of("chunkSize", OptionType.SIZE, "Upload part size.").withDefault("8M"));
        }
    };

    @Test
    void describeLocalListsEveryDeclaredOption() {
        ConnectorProvider local = ConnectorRegistry.load().require("local");
        CliRunner.Result r = CliRunner.run("describe", "local");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("NAME", "TYPE", "DEFAULT", "REQUIRED", "SECRET", "DESCRIPTION");
        assertThat(local.options().list()).isNotEmpty();
        for (OptionDef d : local.options().list()) {
            assertThat(r.out()).contains(d.name());
        }
    }

    @Test
    void describeATemplateListsItsParametersWithDefaultsAndWhichAreRequired(@TempDir Path home) {
        CliRunner.Result r = CliRunner.inHome(home, "describe", "cloud-s3-to-azure");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("cloud-s3-to-azure (route template").contains("NAME", "DEFAULT", "REQUIRED",
                "DESCRIPTION");
        for (String name : List.of("source", "target", "sourceSecretAccessKey", "targetConnectionString",
                "metadataRules", "keyMap", "maxTransfer")) {
            assertThat(r.out()).as(name).containsPattern("(?m)^" + name + " ");
        }
        assertThat(r.out().lines().filter(l -> l.startsWith("source ")).findFirst().orElseThrow()).contains("yes");
        assertThat(r.out().lines().filter(l -> l.startsWith("transfers ")).findFirst().orElseThrow())
                .contains("8", "no");

        CliRunner.Result unknown = CliRunner.inHome(home, "describe", "cloud-s3-to-azur");
        assertThat(unknown.code()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown connector 'cloud-s3-to-azur', nor a route template", "s3", "local", "cloud-s3-to-azure",
                "internal-bucket-to-bucket");
    }

    @Test
    void connectorsListsLocal() {
        CliRunner.Result r = CliRunner.run("connectors");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("SCHEME", "local", "objects");
    }

    @Test
    void textTableMasksSecretDefaults() {
        String text = OptionDocs.text(FAKE);
        assertThat(text).startsWith("fake (other): A fake store for tests.");
        assertThat(text).doesNotContain("hunter2").contains("password", OptionDocs.MASK);
        assertThat(text).contains("enum: hot|cold", "size", "8M");
        assertThat(text.lines().filter(l -> l.startsWith("endpoint")).findFirst().orElseThrow())
                .contains("yes");
    }

    @Test
    void markdownPageEscapesPipesAndMasksSecrets() {
        String md = OptionDocs.markdown(FAKE);
        assertThat(md).startsWith("# Connector `fake`\n");
        assertThat(md).doesNotContain("hunter2");
        assertThat(md).contains("| `password` | password | `****` | no | yes | The password. |");
        assertThat(md).contains("Where the \\| server is.");
        assertThat(md).contains("| `tier` | enum: hot\\|cold | `hot` | no | no | Storage tier. |");
    }
}
