package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;


import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RoutesRun;
import dev.caravan.testkit.routes.TemplatedRouteYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file templates with an SFTP location against the OpenSSH test server ({@code scripts/servers/sshd.sh start};
 * {@code scripts/servers/sshd.sh env} prints the variables read here): the templates had no parameter for connector
 * options, so an SFTP location that needs a private key and a known_hosts file could not be used with them. Its
 * login directory is on this machine's disk, where the test looks at what arrived.
 */
class SftpRouteTemplatesIT {
    private static final String STATE = setting("CARAVAN_SFTP_STATE", "/tmp/caravan-servers/sshd-18022");
    private static final String HOST = setting("CARAVAN_SFTP_HOST", "127.0.0.1");
    private static final String PORT = setting("CARAVAN_SFTP_PORT", "18022");
    private static final String USER = setting("CARAVAN_SFTP_USER", "caravan-sftp");
    private static final String DATA = setting("CARAVAN_SFTP_DATA", STATE + "/home");
    private static final String KEY = setting("CARAVAN_SFTP_KEY", STATE + "/client/id_ecdsa");
    private static final String KNOWN_HOSTS = setting("CARAVAN_SFTP_KNOWN_HOSTS", STATE + "/client/known_hosts");

    @TempDir
    Path tmp;
    private String dir;
    private CaravanRuntime runtime;

    @BeforeEach
    void setUp() {
        dir = "templates-" + UUID.randomUUID();
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")));
    }

    @AfterEach
    void tearDown() throws IOException {
        runtime.close();
        Path onServer = Path.of(DATA, dir);
        if (Files.isDirectory(onServer)) {
            try (Stream<Path> files = Files.walk(onServer)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private RoutesRun run(String template, String source, String target, String... params) throws IOException {
        Path routes = Files.writeString(tmp.resolve(template + ".yaml"),
                TemplatedRouteYaml.ofLocations(template, template + "-sftp", source, target, params));
        return runtime.runRoutes(List.of(routes), ProgressListener.NONE);
    }

    private String sftp() {
        return "sftp:" + USER + "@" + HOST + ":" + PORT + "/~/" + dir;
    }

    @Test
    void physicalFilesCopiesToAnSftpTargetWithTheKeyAndKnownHostsGiven() throws IOException {
        Path source = sample(tmp.resolve("src"));

        RoutesRun run = run("physical-files", "local:" + source, sftp(), "targetPrivateKey", KEY,
                "targetKnownHosts", KNOWN_HOSTS);

        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.results().get(0).copied()).isEqualTo(3);
        assertSame(source, Path.of(DATA, dir));
    }

    @Test
    void scheduledFilesFiresOnceFromAnSftpSourceWithTheKeyAndKnownHostsGiven() throws IOException {
        Path source = sample(Path.of(DATA, dir));
        Path target = tmp.resolve("dst");

        RoutesRun run = run("scheduled-files", sftp(), "local:" + target, "sourcePrivateKey", KEY,
                "sourceKnownHosts", KNOWN_HOSTS, "interval", "5s");

        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertSame(source, target);
    }

    @Test
    void aWrongPasswordIsRefusedAsBadInput() throws IOException {
        Path target = tmp.resolve("dst");

        RoutesRun run = run("scheduled-files", sftp(), "local:" + target, "sourcePassword", "wrong",
                "sourceKnownHosts", KNOWN_HOSTS);

        assertThat(run.exitCode()).as(run.errors().toString()).isEqualTo(2);
        assertThat(String.join("\n", run.errors())).doesNotContain("wrong");
    }

    private static Path sample(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("a.txt"), "alpha\n");
        Files.writeString(dir.resolve("sub/b.txt"), "beta\n");
        Files.write(dir.resolve("sub/c.bin"), new byte[70_000]);
        return dir;
    }

    private static void assertSame(Path expected, Path actual) throws IOException {
        for (String f : List.of("a.txt", "sub/b.txt", "sub/c.bin")) {
            assertThat(actual.resolve(f)).as(f).hasSameBinaryContentAs(expected.resolve(f));
        }
    }

    private static String setting(String env, String fallback) {
        String v = System.getenv(env);
        return v == null || v.isBlank() ? fallback : v;
    }
}
