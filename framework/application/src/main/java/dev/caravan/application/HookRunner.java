package dev.caravan.application;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.application.model.Hook;
import dev.caravan.application.model.Redaction;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs hooks: {@code shell} through {@code sh -c} (exit code checked, output kept, killed at its timeout, with
 * {@code CARAVAN_APP}, {@code CARAVAN_PHASE} and {@code CARAVAN_RUN_DIR} in its environment), {@code sql} on its JDBC
 * URL, {@code http} with the JDK client (declared method, body and headers; any 2xx status, or the one declared in
 * {@code expect}, passes), {@code endpoint} with a producer template of the run's Camel context (body, declared
 * headers, {@code CaravanPhase} and the environment's names as headers). A failure throws {@link
 * MigrationException}; the caller rolls back.
 *
 * <p>A shell hook's output goes to a file readable by its owner only in the run's {@value #OUTPUT_DIR} directory
 * (owner only too), deleted when the hook ends; what a killed run leaves there is removed by the next run of the
 * application ({@link #sweep}).
 */
final class HookRunner {
    /** The directory of a run that holds the output files of its running shell hooks. */
    static final String OUTPUT_DIR = "hook-output";
    private static final int KEEP_OUTPUT = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);

    private final CamelContext camel;
    private final Map<String, String> environment;
    private final Path outputDir;

    /** @param runDir the run's directory, where the output of shell hooks is kept while they run */
    HookRunner(CamelContext camel, Map<String, String> environment, Path runDir) {
        this.camel = camel;
        this.environment = Map.copyOf(environment);
        this.outputDir = runDir.resolve(OUTPUT_DIR);
    }

    /**
     * Deletes the hook output files that runs of the application killed while a shell hook ran left in their run
     * directories ({@code <appDir>/<runId>/}{@value #OUTPUT_DIR}). Call it only while holding the application's lock:
     * no other run may be running a hook.
     */
    static void sweep(Path appDir) {
        if (!Files.isDirectory(appDir)) {
            return;
        }
        try (Stream<Path> runs = Files.list(appDir)) {
            for (Path dir : runs.map(r -> r.resolve(OUTPUT_DIR)).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("could not remove the hook output of earlier runs under {}: {}", appDir, e.toString());
        }
    }

    /** Runs one hook; returns its output (shell, http body; truncated) for the report. */
    String run(Hook hook, String phase) {
        try {
            return switch (hook.kind()) {
                case SHELL -> shell(hook, phase);
                case SQL -> sql(hook);
                case HTTP -> http(hook);
                case ENDPOINT -> endpoint(hook, phase);
            };
        } catch (MigrationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MigrationException(ErrorKind.FATAL, failed(hook) + reason(e), e);
        }
    }

    /**
     * What went wrong, also for exceptions without a message (the HTTP client's refused connection has none), with
     * credentials hidden (a bad URL's message quotes the URL).
     */
    private static String reason(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return Redaction.text(c == e ? c.getMessage() : e.getClass().getSimpleName() + ": " + c.getMessage());
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String failed(Hook hook) {
        return "hook " + hook.describe() + " (" + hook.location() + ") failed: ";
    }

    private String shell(Hook hook, String phase) {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", hook.run()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        pb.environment().put("CARAVAN_PHASE", phase);
        try {
            Path out = outputFile();
            try {
                pb.redirectOutput(out.toFile());
                Process p = pb.start();
                if (!p.waitFor(hook.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    // the command's own processes first: once sh is gone they are no longer its descendants
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new MigrationException(ErrorKind.FATAL, failed(hook) + "still running after "
                            + hook.timeout().toSeconds() + " s (timeout); killed with the processes it started");
                }
                String text = tail(out);
                if (p.exitValue() != hook.expect()) {
                    throw new MigrationException(ErrorKind.FATAL, failed(hook) + "exit code " + p.exitValue()
                            + " (expected " + hook.expect() + ")" + (text.isBlank() ? "" : ": " + text.strip()));
                }
                return text;
            } finally {
                Files.deleteIfExists(out);
                try {
                    Files.deleteIfExists(outputDir); // a run that ends normally leaves no such directory
                } catch (java.nio.file.DirectoryNotEmptyException e) {
                    // another hook of the run still writes there
                }
            }
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.FATAL, failed(hook) + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.FATAL, failed(hook) + "interrupted", e);
        }
    }

    /** A new file for a shell hook's output, readable by its owner only, in a directory only its owner can enter. */
    private Path outputFile() throws IOException {
        return Files.createTempFile(OwnerOnly.directory(outputDir), "hook-", ".out", OwnerOnly.file(outputDir));
    }

    private static String sql(Hook hook) {
        Properties p = new Properties();
        if (hook.user() != null) {
            p.setProperty("user", hook.user());
        }
        if (hook.password() != null) {
            p.setProperty("password", hook.password());
        }
        try (Connection c = DriverManager.getConnection(hook.jdbcUrl(), p); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) Math.max(1, hook.timeout().toSeconds()));
            boolean rows = s.execute(hook.run());
            return rows ? "query ran" : s.getUpdateCount() + " row(s)";
        } catch (SQLException e) {
            throw new MigrationException(ErrorKind.FATAL, failed(hook) + reason(e), e);
        }
    }

    private static String http(Hook hook) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(hook.timeout()).build();
        HttpRequest.BodyPublisher body = hook.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(hook.body());
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hook.run())).timeout(hook.timeout())
                    .method(hook.method(), body);
            hook.headers().forEach(b::header);
            request = b.build();
        } catch (IllegalArgumentException e) {
            throw MigrationException.userConfig(failed(hook) + "bad request: " + reason(e));
        }
        try {
            HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String text;
            try (InputStream in = r.body()) {
                text = tail(new String(in.readNBytes(KEEP_OUTPUT), StandardCharsets.UTF_8));
            }
            boolean ok = hook.expect() == Hook.ANY_2XX ? r.statusCode() / 100 == 2 : r.statusCode() == hook.expect();
            if (!ok) {
                throw new MigrationException(ErrorKind.FATAL, failed(hook) + "status " + r.statusCode() + " (expected "
                        + (hook.expect() == Hook.ANY_2XX ? "2xx" : hook.expect()) + ")"
                        + (text.isBlank() ? "" : ": " + text.strip()));
            }
            return "status " + r.statusCode() + (text.isBlank() ? "" : ": " + text.strip());
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.FATAL, failed(hook) + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.FATAL, failed(hook) + "interrupted", e);
        }
    }

    private String endpoint(Hook hook, String phase) {
        ProducerTemplate template = camel.createProducerTemplate();
        try {
            Exchange done = template.request(hook.run(), e -> {
                e.getMessage().setBody(hook.body());
                e.getMessage().setHeader("CaravanPhase", phase);
                environment.forEach((k, v) -> e.getMessage().setHeader(k, v));
                hook.headers().forEach((k, v) -> e.getMessage().setHeader(k, v));
            });
            if (done.getException() != null) {
                throw new MigrationException(ErrorKind.FATAL, failed(hook) + reason(done.getException()),
                        done.getException());
            }
            Object body = done.getMessage().getBody();
            return body == null ? "" : tail(String.valueOf(body));
        } finally {
            try {
                template.close();
            } catch (IOException e) {
                // a producer template holds no external resource worth reporting
            }
        }
    }

    /**
     * The end of a hook's output file, read without loading the whole file (a hook may print gigabytes) and decoded
     * as UTF-8 with bad bytes replaced (a hook's output is not ours to refuse).
     */
    private static String tail(Path file) throws IOException {
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(size, KEEP_OUTPUT * 4L));
            ch.position(size - buf.capacity());
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // fills the buffer with the last bytes
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            return buf.capacity() < size ? "..." + tail(text.substring(Math.max(0, text.length() - KEEP_OUTPUT)))
                    : tail(text);
        }
    }

    /** The end of an output, with the credentials {@link Redaction#text} finds in it hidden: it goes into reports. */
    private static String tail(String s) {
        return Redaction.text(s.length() <= KEEP_OUTPUT ? s : "..." + s.substring(s.length() - KEEP_OUTPUT));
    }
}
