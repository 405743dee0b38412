package dev.caravan.cli;

import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.record.RecordSource;
import dev.caravan.core.registry.ConnectorRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code caravan cds-training DIR [s3|sftp|jdbc]...} (hidden): a training run after which the {@code ./caravan} launcher
 * dumps a class-data archive (AppCDS), so that the classes a command loads come from the archive instead of from jars.
 * It runs, in this JVM, a local copy of one small file in {@code DIR} (the only step that must succeed: its exit code
 * is the command's), then, for each connector named, the same copy (JDBC: opening a table) aimed at a port where
 * nothing listens ({@value #UNREACHABLE}, refused at once; 1 s timeouts, no retries): the SDK client (AWS SDK with
 * its HTTP client; SSH client; PostgreSQL and MariaDB drivers) is built and its first request fails with the expected
 * connection error. No byte leaves the machine and no server is needed. Those failures are the point and are ignored;
 * nothing is printed. Azure Blob is not offered: the JDK 17 dump crashes after it (see the launcher).
 */
@Command(name = "cds-training", hidden = true,
        description = "Training run of the launcher's class-data archive: a local copy in DIR (an empty scratch"
                + " directory), then the named connectors against 127.0.0.1:9 (nothing listens; no network).")
final class CdsTrainingCommand implements Callable<Integer> {
    /** Loopback discard port: nothing listens there, so a connection is refused at once. */
    static final String UNREACHABLE = "127.0.0.1:9";

    /** The connectors a training can exercise. */
    enum Connector { S3, SFTP, JDBC }

    @Parameters(index = "0", paramLabel = "DIR", description = "An empty scratch directory (the caller deletes it).")
    Path dir;

    @Parameters(index = "1..*", paramLabel = "CONNECTOR", description = "s3, sftp or jdbc (default: none).")
    List<Connector> connectors = List.of();

    @Override
    public Integer call() {
        Path from = dir.resolve("from");
        try {
            Files.createDirectories(from.resolve("docs"));
            Files.writeString(from.resolve("docs/readme.txt"), "caravan\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training files in " + dir, e);
        }
        int code = run("copy", "local:" + from, "local:" + dir.resolve("to"));
        for (Connector c : connectors) {
            if (c == Connector.JDBC) {
                openTable("jdbc:postgresql://" + UNREACHABLE + "/training?connectTimeout=1");
                openTable("jdbc:mariadb://" + UNREACHABLE + "/training?connectTimeout=1000");
            } else {
                run(copyTo(c, "local:" + from).toArray(String[]::new));
            }
        }
        return code;
    }

    /** The copy from {@code source} to an S3 or SFTP endpoint that refuses connections. */
    static List<String> copyTo(Connector connector, String source) {
        return switch (connector) {
            case S3 -> List.of("copy", source, "s3:caravan-training", "--retries", "0",
                    "--target-option", "endpoint=http://" + UNREACHABLE, "--target-option", "pathStyle=true",
                    "--target-option", "region=us-east-1", "--target-option", "accessKeyId=training",
                    "--target-option", "secretAccessKey=training", "--target-option", "sdkRetries=0",
                    "--target-option", "connectTimeout=1s", "--target-option", "readTimeout=1s");
            case SFTP -> List.of("copy", source, "sftp:training@" + UNREACHABLE + "/training", "--retries", "0",
                    "--target-option", "password=training", "--target-option", "connectTimeout=1s",
                    // any well-formed key: no known_hosts file needed; the connection is refused before a key is seen
                    "--target-option", "hostKeyFingerprint=SHA256:" + "A".repeat(43));
            case JDBC -> throw new IllegalArgumentException("jdbc is trained by opening a table, not by a copy");
        };
    }

    private int run(String... command) {
        List<String> args = new ArrayList<>(List.of("-q", "--no-progress", "--home", dir.resolve("home").toString()));
        args.addAll(List.of(command));
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        try {
            return Main.execute(nowhere, nowhere, args.toArray(String[]::new));
        } catch (RuntimeException | LinkageError e) {
            return Main.FAILED; // a connector that cannot even start: the archive simply holds less
        }
    }

    /** Opens a table of a database that is not there: the driver loads and its connection is refused. */
    private static void openTable(String url) {
        try {
            RecordProvider jdbc = (RecordProvider) ConnectorRegistry.load().require("jdbc");
            try (RecordSource source = jdbc.openSource(url, jdbc.options().resolve(Map.of("table", "training")))) {
                source.schema();
            }
        } catch (RuntimeException | LinkageError expected) {
            // connection refused: what the training is for
        }
    }
}
