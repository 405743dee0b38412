package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./caravan} launcher's class-data archives (AppCDS): a command naming an S3 location gets an archive
 * trained on the S3 client ({@code caravan cds-training DIR s3}, which needs no server and no network) and takes the
 * AWS SDK's classes from it, as does a route file naming one; a local command keeps the small archive of a local copy.
 */
class LauncherArchiveIT {
    private static final Path ROOT = Path.of("").toAbsolutePath().resolve("../..").normalize();

    @TempDir
    Path tmp;

    @Test
    void theTrainingCopiesLocallyAndSurvivesEveryConnectorItCannotReach() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path dir = tmp.resolve("training");

        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "cds-training", dir.toString(), "s3",
                "sftp", "jdbc");

        assertThat(code).as(err.toString()).isZero();
        assertThat(dir.resolve("to/docs/readme.txt")).hasContent("caravan");
        assertThat(out.toString()).as("the training prints nothing").isEmpty();
        assertThat(Main.execute(new PrintWriter(out), new PrintWriter(err), "cds-training", dir.toString(), "azblob"))
                .isEqualTo(Main.BAD_INPUT);
        StringWriter help = new StringWriter();
        Main.execute(new PrintWriter(help), new PrintWriter(err), "--help");
        assertThat(help.toString()).as("hidden").doesNotContain("cds-training");
    }

    @Test
    void anS3CommandTakesTheSdkFromItsOwnArchiveAndALocalCommandFromTheSmallOne() throws Exception {
        Path cli = builtCli();
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "a");

        Path s3Log = tmp.resolve("s3-classes.log");
        Run s3 = launch(cli, s3Log, "copy", "local:" + src, "s3:bucket", "--retries", "0",
                "--target-option", "endpoint=http://127.0.0.1:9", "--target-option", "accessKeyId=a",
                "--target-option", "secretAccessKey=b", "--target-option", "sdkRetries=0");

        assertThat(s3.exit()).as("nothing listens at 127.0.0.1:9: " + s3.output()).isEqualTo(Main.BAD_INPUT);
        assertThat(cli.resolve("caravan-s3.jsa")).as(s3.output()).exists();
        assertThat(cli.resolve("caravan.jsa")).doesNotExist();
        assertThat(s3.cdsProblems()).isEmpty();
        assertThat(s3.cdsLog()).anyMatch(l -> l.contains("Opened archive " + cli.resolve("caravan-s3.jsa")));
        assertThat(Files.readAllLines(s3Log)).as("the S3 client's classes come from the archive")
                .anyMatch(l -> l.contains("software.amazon.awssdk.services.s3.DefaultS3Client source: shared objects file"))
                .noneMatch(l -> l.contains("software.amazon.awssdk.services.s3.DefaultS3Client source: jar"));

        Path localLog = tmp.resolve("local-classes.log");
        Run local = launch(cli, localLog, "copy", "local:" + src, "local:" + tmp.resolve("dst"));

        assertThat(local.exit()).as(local.output()).isZero();
        assertThat(tmp.resolve("dst/a.txt")).hasContent("a");
        assertThat(cli.resolve("caravan.jsa")).exists();
        assertThat(local.cdsProblems()).isEmpty();
        assertThat(local.cdsLog()).anyMatch(l -> l.contains("Opened archive " + cli.resolve("caravan.jsa")));
        assertThat(Files.readAllLines(localLog))
                .anyMatch(l -> l.contains("dev.caravan.cli.Main source: shared objects file"));

        Path route = tmp.resolve("to-s3.yaml");
        Files.writeString(route, """
                - templatedRoute:
                    routeTemplateRef: internal-bucket-to-bucket
                    routeId: archive-choice
                    parameters:
                      - name: source
                        value: s3:bucket/a
                      - name: target
                        value: s3:bucket/b
                      - name: endpoint
                        value: http://127.0.0.1:9
                """);
        Run fromRoute = launch(cli, tmp.resolve("route-classes.log"), "plan", route.toString());
        assertThat(fromRoute.cdsLog()).as("a route file naming an S3 location gets the S3 archive: "
                + fromRoute.output()).anyMatch(l -> l.contains("Opened archive " + cli.resolve("caravan-s3.jsa")));
    }

    /** A CLI directory as the launcher's CARAVAN_TARGET expects it, pointing at this module's build. */
    private Path builtCli() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Path cli = Files.createDirectories(tmp.resolve("cli"));
        try (Stream<Path> jars = Files.list(target)) {
            Path jar = jars.filter(p -> p.getFileName().toString().matches("caravan-cli-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("sources")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no caravan-cli jar in " + target + ": run package"));
            Files.createSymbolicLink(cli.resolve(jar.getFileName()), jar);
        }
        Files.createSymbolicLink(cli.resolve("lib"), target.resolve("lib"));
        return cli;
    }

    private record Run(int exit, String output, List<String> cdsLog) {
        List<String> cdsProblems() {
            return cdsLog.stream().filter(l -> l.contains("failed") || l.contains("error")).toList();
        }
    }

    /** Runs the launcher on {@code cli} (archives are made there), logging class loading to {@code classLog}. */
    private Run launch(Path cli, Path classLog, String... args) throws IOException, InterruptedException {
        Path cdsLog = tmp.resolve(classLog.getFileName() + ".cds");
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("caravan").toString(),
                "--home", tmp.resolve("home").toString(), "-q", "--no-progress"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("CARAVAN_TARGET", cli.toString());
        pb.environment().remove("CARAVAN_NO_CDS");
        pb.environment().put("CARAVAN_DAEMON", "0"); // the archives of a fresh JVM per command (DaemonIT: the daemon)
        pb.environment().remove("CARAVAN_JOURNAL_URL");
        pb.environment().put("CARAVAN_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog
                + " -Xlog:cds=info:file=" + cdsLog);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        int exit = p.waitFor();
        return new Run(exit, output, Files.exists(cdsLog) ? Files.readAllLines(cdsLog) : List.of("no CDS log: failed"));
    }
}
