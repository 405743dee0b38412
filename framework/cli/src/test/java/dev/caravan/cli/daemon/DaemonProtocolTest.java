package dev.caravan.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's frames, and how a client names and places its daemon. */
class DaemonProtocolTest {
    @TempDir
    Path tmp;

    @Test
    void aRequestArrivesWithEveryArgumentAsWritten() throws IOException {
        List<String> args = List.of("copy", "local:dir with spaces/ünïcode", "", "s3:b", "--target-option",
                "secretAccessKey=a+b/c=", "x".repeat(100_000));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DaemonProtocol.Request(true, args).writeTo(new DataOutputStream(bytes));

        DaemonProtocol.Request read = DaemonProtocol.Request.readFrom(in(bytes.toByteArray()));

        assertThat(read.terminal()).isTrue();
        assertThat(read.args()).containsExactlyElementsOf(args);
    }

    @Test
    void aRequestOfAnotherProtocolVersionIsNotRun() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        new DataOutputStream(body).writeInt(DaemonProtocol.VERSION + 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DaemonProtocol.writeFrame(new DataOutputStream(bytes), DaemonProtocol.REQUEST, body.toByteArray());

        assertThat(DaemonProtocol.Request.readFrom(in(bytes.toByteArray()))).isNull();
    }

    @Test
    void outputAndTheExitCodeComeBackInOrderAndAClosedStreamIsAnEnd() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        OutputStream stdout = DaemonProtocol.frameStream(out, DaemonProtocol.STDOUT);
        stdout.write("plan: 3 new\n".getBytes(StandardCharsets.UTF_8));
        DaemonProtocol.frameStream(out, DaemonProtocol.STDERR).write('!');
        DaemonProtocol.writeExit(out, 258);

        DataInputStream in = in(bytes.toByteArray());
        DaemonProtocol.Frame first = DaemonProtocol.readFrame(in);
        DaemonProtocol.Frame second = DaemonProtocol.readFrame(in);
        DaemonProtocol.Frame exit = DaemonProtocol.readFrame(in);

        assertThat(first.type()).isEqualTo(DaemonProtocol.STDOUT);
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("plan: 3 new\n");
        assertThat(second.type()).isEqualTo(DaemonProtocol.STDERR);
        assertThat(second.body()).containsExactly('!');
        assertThat(exit.type()).isEqualTo(DaemonProtocol.EXIT);
        assertThat(exit.exitCode()).isEqualTo(258);
        assertThatThrownBy(() -> DaemonProtocol.readFrame(in)).isInstanceOf(EOFException.class);
    }

    @Test
    void aDaemonIsFoundAgainOnlyWithTheSameCommandDirectoryAndEnvironment() throws IOException {
        Path jar = Files.writeString(tmp.resolve("cli.jar"), "jar");
        List<String> command = List.of("java", "-Xmx256m", "-cp", "cli.jar", "dev.caravan.cli.daemon.DaemonServer");
        Map<String, String> env = Map.of("HOME", "/root", "AWS_PROFILE", "a", "SHLVL", "1", "_", "/usr/bin/x");
        String id = DaemonClient.identity(command, jar, tmp, env);

        assertThat(DaemonClient.identity(command, jar, tmp,
                Map.of("HOME", "/root", "AWS_PROFILE", "a", "SHLVL", "3", "OLDPWD", "/x"))).isEqualTo(id);
        assertThat(DaemonClient.identity(command, jar, tmp, Map.of("HOME", "/root", "AWS_PROFILE", "b")))
                .isNotEqualTo(id);
        assertThat(DaemonClient.identity(command, jar, tmp.resolve("elsewhere"), env)).isNotEqualTo(id);
        assertThat(DaemonClient.identity(List.of("java", "-Xmx1g", "-cp", "cli.jar", "x"), jar, tmp, env))
                .isNotEqualTo(id);
        Files.writeString(jar, "rebuilt jar");
        assertThat(DaemonClient.identity(command, jar, tmp, env)).isNotEqualTo(id);
    }

    @Test
    void socketsLiveOnlyInADirectoryNoOtherUserMayEnter() throws IOException {
        Path fresh = tmp.resolve("d1");
        assertThat(DaemonClient.socketDirectory(Map.of("CARAVAN_DAEMON_DIR", fresh.toString()))).isEqualTo(fresh);
        assertThat(Files.getPosixFilePermissions(fresh)).isEqualTo(PosixFilePermissions.fromString("rwx------"));

        Path open = Files.createDirectory(tmp.resolve("d2"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(DaemonClient.socketDirectory(Map.of("CARAVAN_DAEMON_DIR", open.toString()))).isNull();

        Path link = Files.createSymbolicLink(tmp.resolve("d3"), fresh);
        assertThat(DaemonClient.socketDirectory(Map.of("CARAVAN_DAEMON_DIR", link.toString()))).isNull();
        assertThat(DaemonClient.socketDirectory(Map.of("CARAVAN_DAEMON_DIR", "/tmp/" + "x".repeat(80)))).isNull();
    }

    private static DataInputStream in(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
