package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Bad input is rejected with exit code 2 and one error line, before any journal or store is opened. */
class ExitCodeTest {

    @TempDir
    Path home;

    private CliRunner.Result run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRunner.run(all);
    }

    private static void assertBadInput(CliRunner.Result r, String... fragments) {
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).startsWith("caravan: error: ");
        assertThat(r.err()).as(r.toString()).doesNotContain("\tat ");
        for (String f : fragments) {
            assertThat(r.err()).as(r.toString()).contains(f);
        }
    }

    @Test
    void unknownFlag() {
        assertBadInput(run("copy", "local:/a", "local:/b", "--no-such-flag"), "--no-such-flag");
    }

    @Test
    void unknownSubcommand() {
        assertBadInput(run("teleport"), "teleport");
    }

    /** Picocli quotes the arguments it cannot match: the secrets among them are masked, the rest stays readable. */
    @Test
    void parameterErrorsMaskSecretsInArguments() {
        String sig = "s" + Long.toHexString(System.nanoTime()) + "x";
        String secret = "k" + Long.toHexString(System.nanoTime() ^ 0x5a5a5a5aL) + "y";
        String pw = "p" + Long.toHexString(System.nanoTime() >>> 3) + "z";
        CliRunner.Result r = run("ls", "azblob:box/pfx?sv=2022-11-02&sp=rl&sig=" + sig,
                "--target-opton", "secretAccessKey=" + secret, "sftp://me:" + pw + "@host/dir");
        assertBadInput(r, "ls", "azblob:box/pfx?sv=2022-11-02&sp=rl&sig=****", "secretAccessKey=****",
                "sftp://me:****@host/dir");
        assertThat(r.err()).doesNotContain(sig).doesNotContain(secret).doesNotContain(pw);
        CliRunner.Result unknown = run("copy", "local:/a", "local:/b", "--no-such", "sasToken=sv=1&sig=" + sig);
        assertBadInput(unknown, "--no-such", "sasToken=****");
        assertThat(unknown.err()).doesNotContain(sig);
    }

    @Test
    void missingSubcommand() {
        assertBadInput(run(), "missing command");
    }

    @Test
    void missingTarget() {
        assertBadInput(run("copy", "local:/a"), "TARGET");
    }

    @Test
    void badSizeAndDurationAndEnumValues() {
        assertBadInput(run("copy", "local:/a", "local:/b", "--max-size", "lots"), "--max-size", "not a size");
        assertBadInput(run("copy", "local:/a", "local:/b", "--min-age", "yesterday"), "--min-age");
        assertBadInput(run("copy", "local:/a", "local:/b", "--verify", "md5"), "--verify");
        assertBadInput(run("copy", "local:/a", "local:/b", "--compare", "mtime"), "--compare", "size-mtime");
        assertBadInput(run("copy", "local:/a", "local:/b", "--transfers", "many"), "--transfers");
    }

    @Test
    void zeroTransfersIsRefusedByTheSpec() {
        assertBadInput(run("copy", "local:/a", "local:/b", "--transfers", "0"), "transfers");
    }

    @Test
    void syncWithABadMaxDelete() {
        assertBadInput(run("sync", "local:/a", "local:/b", "--max-delete", "lots"), "maxDelete", "lots");
        assertBadInput(run("sync", "local:/a", "local:/b", "--max-delete", "-5"), "-5");
    }

    @Test
    void aMalformedMetadataRule() {
        assertBadInput(run("copy", "local:/a", "local:/b", "--metadata-rule", "shout:everything"), "shout:everything");
    }

    @Test
    void unknownConnector() {
        assertBadInput(run("copy", "nosuch:/a", "local:/b"), "unknown connector 'nosuch'");
        assertBadInput(run("verify", "local:/a", "nosuch:/b"), "unknown connector 'nosuch'");
    }

    @Test
    void locationWithoutScheme() {
        assertBadInput(run("copy", "/data/a", "local:/b"), "scheme");
    }

    @Test
    void unknownConnectorOption() {
        assertBadInput(run("copy", "local:/a", "local:/b", "--target-option", "noSuchOption=1"), "noSuchOption");
    }

    @Test
    void describeUnknownConnector() {
        assertBadInput(run("describe", "nosuch"), "unknown connector 'nosuch'");
    }

    @Test
    void missingYamlFile() {
        assertBadInput(run("run", home.resolve("absent.yaml").toString()), "no such file");
        assertBadInput(run("plan", home.resolve("absent.yaml").toString()), "no such file");
    }

    @Test
    void planOfTwoLocationsPointsToADryRun() {
        assertBadInput(run("plan", "local:/nowhere/a", "local:/nowhere/b"), "caravan copy SOURCE TARGET --dry-run");
    }

    @Test
    void verifyWithThreeLocations() {
        assertBadInput(run("verify", "local:/a", "local:/b", "local:/c"), "SOURCE TARGET");
    }

    @Test
    void debugStackTracesOfAMalformedRouteMaskItsSecrets() throws IOException {
        String secret = "s" + UUID.randomUUID();
        Path routes = Files.writeString(home.resolve("leaky.yaml"), """
                - route:
                    id: leaky
                    from:
                      uri: "timer:x?repeatCount=1"
                      steps:
                        - to: "caravan:migrate?source=local:/a&target=local:/b&source.secretAccessKey=RAW(%s)&"
                """.formatted(secret));
        CliRunner.Result r = run("--debug", "run", routes.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).contains("Trailing & marker", "\tat ").doesNotContain(secret);
    }

    @Test
    void runHelpNamesEveryExitCodeRunGives() {
        CliRunner.Result help = run("run", "--help");
        assertThat(help.out().replaceAll("\\s+", " ")).contains("Exit code 0 when", "1 when", "2 for bad input",
                "3 when one stopped unfinished at its maxTransfer or maxDuration");
    }

    @Test
    void helpAndVersionExitZero() {
        assertThat(run("--help").code()).isZero();
        CliRunner.Result v = run("--version");
        assertThat(v.code()).isZero();
        assertThat(v.out()).startsWith("caravan ");
    }
}
