package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan manifest write|check|keygen} on local folders: output, exit codes, --json. */
class ManifestCliTest {
    @TempDir
    Path home;
    @TempDir
    Path data;
    @TempDir
    Path out;
    Path manifest;
    String location;

    @BeforeEach
    void fill() throws IOException {
        Files.createDirectories(data.resolve("docs"));
        for (String name : List.of("a.bin", "docs/b.bin", "docs/c.bin")) {
            byte[] bytes = new byte[1000 + ThreadLocalRandom.current().nextInt(1000)];
            ThreadLocalRandom.current().nextBytes(bytes);
            Files.write(data.resolve(name), bytes);
        }
        manifest = out.resolve("data.manifest");
        location = "local:" + data;
    }

    @Test
    void aSignedManifestChecksCleanAndNamesEveryDifference() throws IOException {
        String prefix = out.resolve("keys").toString();
        assertThat(run("manifest", "keygen", prefix).code()).isZero();
        CliRunner.Result written = run("manifest", "write", location, manifest.toString(), "--sign", prefix + ".key",
                "--transfers", "2");
        assertThat(written.code()).as(written.toString()).isZero();
        assertThat(written.out()).contains("3 objects").contains("signature " + manifest + ".sig");
        assertThat(Files.readAllLines(manifest)).hasSize(5);

        CliRunner.Result clean = run("manifest", "check", manifest.toString(), location, "--verify-key",
                prefix + ".pub");
        assertThat(clean.code()).as(clean.toString()).isZero();
        assertThat(clean.out()).contains("3 match").contains("signature valid");

        byte[] b = Files.readAllBytes(data.resolve("docs/b.bin"));
        b[10] ^= 1;
        Files.write(data.resolve("docs/b.bin"), b);
        Files.delete(data.resolve("docs/c.bin"));
        Files.writeString(data.resolve("new.txt"), "not moved");
        CliRunner.Result dirty = run("manifest", "check", manifest.toString(), location, "--deep");
        assertThat(dirty.code()).as(dirty.toString()).isEqualTo(Main.FAILED);
        assertThat(dirty.out()).contains("differ  docs/b.bin").contains("missing  docs/c.bin")
                .contains("extra  new.txt").contains("1 match");
        assertThat(dirty.err()).contains("found 3 differences");

        CliRunner.Result json = run("manifest", "check", manifest.toString(), location, "--json");
        assertThat(json.code()).isEqualTo(Main.FAILED);
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.get("verdict").asText()).isEqualTo("differ");
        assertThat(doc.get("counts").get("missing").asLong()).isEqualTo(1);
        assertThat(doc.get("problems")).extracting(p -> p.get("item").asText())
                .containsExactly("docs/b.bin", "docs/c.bin", "new.txt");

        // written again without --sign: the old signature would call the new manifest tampered with; it goes
        CliRunner.Result unsigned = run("manifest", "write", location, manifest.toString());
        assertThat(unsigned.code()).as(unsigned.toString()).isZero();
        assertThat(unsigned.err()).contains("removed " + manifest + ".sig");
        assertThat(Files.exists(Path.of(manifest + ".sig"))).isFalse();
    }

    @Test
    void aChangedManifestOrAWrongKeyIsExitOne() throws IOException {
        String mine = out.resolve("mine").toString();
        String other = out.resolve("other").toString();
        run("manifest", "keygen", mine);
        run("manifest", "keygen", other);
        run("manifest", "write", location, manifest.toString(), "--sign", mine + ".key");

        CliRunner.Result wrongKey = run("manifest", "check", manifest.toString(), location, "--verify-key",
                other + ".pub");
        assertThat(wrongKey.code()).as(wrongKey.toString()).isEqualTo(Main.FAILED);
        assertThat(wrongKey.err()).contains("does not match");

        List<String> lines = new ArrayList<>(Files.readAllLines(manifest));
        lines.set(2, lines.get(2).replaceFirst("\"size\":(\\d+)", "\"size\":9$1"));
        Files.write(manifest, lines);
        CliRunner.Result tampered = run("manifest", "check", manifest.toString(), location);
        assertThat(tampered.code()).as(tampered.toString()).isEqualTo(Main.FAILED);
        assertThat(tampered.err()).contains("was changed after it was written");
        CliRunner.Result tamperedJson = run("manifest", "check", manifest.toString(), location, "--json");
        assertThat(new ObjectMapper().readTree(tamperedJson.out()).get("verdict").asText()).isEqualTo("tampered");
        assertThat(run("manifest", "check", manifest.toString(), location, "--verify-key", mine + ".pub").err())
                .contains("does not match");
    }

    @Test
    void badInputIsExitTwo() throws IOException {
        assertThat(run("manifest", "check", out.resolve("none").toString(), location).code())
                .isEqualTo(Main.BAD_INPUT);
        Files.writeString(manifest, "{\"caravanManifest\":2,\"location\":\"local:/x\",\"created\":\"2030-01-01T00:00:00Z\"}\n");
        CliRunner.Result version = run("manifest", "check", manifest.toString(), location);
        assertThat(version.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(version.err()).contains("unknown manifest format version 2");

        String keys = out.resolve("k").toString();
        run("manifest", "keygen", keys);
        Files.writeString(out.resolve("bad.key"), "not a key");
        CliRunner.Result badKey = run("manifest", "write", location, manifest.toString(), "--sign",
                out.resolve("bad.key").toString());
        assertThat(badKey.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(badKey.err()).contains("is not a PEM private key");
        assertThat(run("manifest", "write", "nosuch:/x", manifest.toString()).code()).isEqualTo(Main.BAD_INPUT);
        assertThat(run("manifest", "keygen", keys).code()).as("existing keys are kept").isEqualTo(Main.BAD_INPUT);
        assertThat(run("manifest").code()).isEqualTo(Main.BAD_INPUT);
    }

    /** A missing manifest or signature is named in words, not by a Java exception class. */
    @Test
    void aMissingManifestOrSignatureIsSaidPlainly() {
        CliRunner.Result noManifest = run("manifest", "check", out.resolve("none").toString(), location);
        assertThat(noManifest.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(noManifest.err()).contains("cannot read the manifest " + out.resolve("none") + ": no such file")
                .doesNotContain("java.");

        String keys = out.resolve("k").toString();
        run("manifest", "keygen", keys);
        run("manifest", "write", location, manifest.toString());
        CliRunner.Result noSignature = run("manifest", "check", manifest.toString(), location, "--verify-key",
                keys + ".pub");
        assertThat(noSignature.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(noSignature.err()).contains("cannot read the signature " + manifest + ".sig: no such file")
                .doesNotContain("java.");
    }

    private CliRunner.Result run(String... args) {
        return CliRunner.inHome(home, args);
    }
}
