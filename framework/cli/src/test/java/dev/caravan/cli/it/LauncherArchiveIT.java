package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./caravan} launcher's class-data archives (AppCDS): a command naming an S3 location gets an archive
 * trained on the S3 client ({@code caravan cds-training DIR s3}, which needs no server and no network) and takes the
 * AWS SDK's classes from it, as does a route file naming one; a local command keeps the small archive of a local copy.
 * An archive the JVM would refuse (older than Caravan's jar, or made in another directory) is made again.
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

    @Test
    void anArchiveOlderThanCaravansJarOrMadeInAnotherDirectoryIsMadeAgain() throws Exception {
        Path cli = Files.createDirectories(tmp.resolve("own-cli"));
        Path jar = cli.resolve(builtJar().getFileName());
        Files.copy(builtJar(), jar, StandardCopyOption.COPY_ATTRIBUTES); // this test rewrites it
        Files.createSymbolicLink(cli.resolve("lib"), Path.of("target/lib").toAbsolutePath());
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "a");
        Path archive = cli.resolve("caravan.jsa");

        Run first = launch(cli, tmp.resolve("first.log"), "copy", "local:" + src, "local:" + tmp.resolve("d1"));
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(mainFromArchive(tmp.resolve("first.log"))).isTrue();

        Thread.sleep(1_100); // the jar is rewritten (as by an `mvn install`) a second or more after the archive
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        Run second = launch(cli, tmp.resolve("second.log"), "copy", "local:" + src, "local:" + tmp.resolve("d2"));
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(mainFromArchive(tmp.resolve("second.log"))).as("an archive made again, after the jar").isTrue();
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));

        Path moved = Files.createDirectories(tmp.resolve("moved-cli"));
        Files.copy(jar, moved.resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(moved.resolve("lib"), Path.of("target/lib").toAbsolutePath());
        Files.copy(archive, moved.resolve("caravan.jsa"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(cli.resolve("caravan.jsa.tried"), moved.resolve("caravan.jsa.tried"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Run third = launch(moved, tmp.resolve("third.log"), "copy", "local:" + src, "local:" + tmp.resolve("d3"));
        assertThat(third.exit()).as(third.output()).isZero();
        assertThat(mainFromArchive(tmp.resolve("third.log"))).as("the copied archive (paths of another directory) "
                + "made again in its new one").isTrue();
        assertThat(moved.resolve("caravan.jsa.tried")).hasContent(moved.toString());
    }

    private static boolean mainFromArchive(Path classLog) throws IOException {
        return Files.readAllLines(classLog).stream()
                .anyMatch(l -> l.contains("dev.caravan.cli.Main source: shared objects file"));
    }

    /** This module's built jar. */
    private static Path builtJar() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        try (Stream<Path> jars = Files.list(target)) {
            return jars.filter(p -> p.getFileName().toString().matches("caravan-cli-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("sources")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no caravan-cli jar in " + target + ": run package"));
        }
    }

    /** A CLI directory as the launcher's CARAVAN_TARGET expects it, pointing at this module's build. */
    private Path builtCli() throws IOException {
        Path cli = Files.createDirectories(tmp.resolve("cli"));
        Path jar = builtJar();
        Files.createSymbolicLink(cli.resolve(jar.getFileName()), jar);
        Files.createSymbolicLink(cli.resolve("lib"), Path.of("target/lib").toAbsolutePath());
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
