package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through Camel: {@code run}, {@code plan}, {@code verify} with YAML using the logical-files template. */
class CliRunIT {

    @TempDir
    Path tmp;
    Path src;
    Path dst;
    Path yaml;

    @BeforeEach
    void data() throws IOException {
        src = tmp.resolve("src");
        dst = tmp.resolve("dst");
        Files.createDirectories(src.resolve("a/b"));
        Files.writeString(src.resolve("one.csv"), "id,name\n1,x\n");
        Files.writeString(src.resolve("a/two.json"), "{\"k\": 2}\n");
        Files.writeString(src.resolve("a/b/three.txt"), "three\n");
        Files.writeString(src.resolve("skip.tmp"), "temporary\n");
        yaml = tmp.resolve("migration.yaml");
        Files.writeString(yaml, """
                - templatedRoute:
                    routeTemplateRef: logical-files
                    routeId: it-files
                    parameters:
                      - name: source
                        value: local:%s
                      - name: target
                        value: local:%s
                      - name: mode
                        value: sync
                      - name: exclude
                        value: "*.tmp"
                """.formatted(src, dst));
    }

    private CliRunner.Result cli(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--home";
        all[1] = tmp.resolve("home").toString();
        all[2] = "--no-progress";
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRunner.run(all);
    }

    @Test
    void planWritesNothingThenRunCopiesThenVerifyMatches() throws IOException {
        CliRunner.Result plan = cli("plan", yaml.toString());
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("it-files", "3 objects", "nothing was written");
        assertThat(Files.exists(dst) && Files.list(dst).findAny().isPresent()).isFalse();

        CliRunner.Result json = cli("plan", "--json", yaml.toString());
        assertThat(json.code()).as(json.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.get("exitCode").asInt()).isZero();
        assertThat(doc.get("plans").get(0).get("summary").get("copy").get("objects").asLong()).isEqualTo(3);
        assertThat(doc.get("plans").get(0).get("mode").asText()).isEqualTo("sync");

        CliRunner.Result run = cli("run", yaml.toString());
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).contains("it-files: complete and verified", "3 objects", "report");
        assertThat(dst.resolve("a/b/three.txt")).hasContent("three");
        assertThat(dst.resolve("skip.tmp")).doesNotExist();

        CliRunner.Result verify = cli("verify", yaml.toString());
        assertThat(verify.code()).as(verify.toString()).isZero();

        Files.writeString(dst.resolve("one.csv"), "id,name\n1,y\n");
        CliRunner.Result mismatch = cli("verify", yaml.toString());
        assertThat(mismatch.code()).as(mismatch.toString()).isEqualTo(1);
        assertThat(mismatch.out()).contains("one.csv");
    }

    /** A migration of the file that cannot be planned (a missing source here; refused credentials alike) fails. */
    @Test
    void verifyOfAFileWithAMigrationThatCannotBePlannedIsNeverASuccess() throws IOException {
        assertThat(cli("run", yaml.toString()).code()).isZero();
        Path two = tmp.resolve("two.yaml");
        Files.writeString(two, Files.readString(yaml) + Files.readString(yaml).replace("it-files", "it-missing")
                .replace("local:" + src, "local:" + tmp.resolve("no-such-source")));

        CliRunner.Result verify = cli("verify", two.toString());

        assertThat(verify.code()).as(verify.toString()).isEqualTo(2);
        assertThat(verify.out()).contains("verify it-files: 3 objects: 3 match");
        assertThat(verify.err()).contains("it-missing").doesNotContain("no migration found");
    }

    @Test
    void malformedYamlIsBadInput() throws IOException {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "- templatedRoute:\n    routeTemplateRef: [unclosed\n");
        CliRunner.Result r = cli("run", bad.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("caravan: error: ").doesNotContain("\tat ");
    }

    @Test
    void unknownTemplateIsBadInput() throws IOException {
        Path bad = tmp.resolve("unknown.yaml");
        Files.writeString(bad, """
                - templatedRoute:
                    routeTemplateRef: no-such-template
                    parameters:
                      - name: source
                        value: local:/tmp
                """);
        CliRunner.Result r = cli("plan", bad.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("caravan: error: ");
    }

    @Test
    void unknownConnectorInYamlIsBadInput() throws IOException {
        Files.writeString(yaml, Files.readString(yaml).replace("local:" + dst, "nosuch:" + dst));
        CliRunner.Result r = cli("run", yaml.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("nosuch");
    }
}
