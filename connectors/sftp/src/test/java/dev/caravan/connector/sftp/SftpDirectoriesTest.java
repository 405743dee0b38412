package dev.caravan.connector.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.Test;

/**
 * Creating parent directories while a concurrent delete removes them (no network: a scripted {@link SftpClient}
 * answers mkdir, stat and lstat as OpenSSH's sftp-server does: EEXIST is a plain FAILURE, ENOENT NO_SUCH_FILE).
 */
class SftpDirectoriesTest {
    private static final SftpDirectories DIRS = new SftpDirectories(SftpLocation.parse("u@h/base"), false);

    /** A server whose file system is a map of path to "dir" or "file"; {@code beforeStat} may change it first. */
    private static final class ScriptedServer {
        final Map<String, String> files = new HashMap<>(Map.of("/base", "dir"));
        final List<String> calls = new ArrayList<>();
        Runnable beforeStat = () -> { };

        SftpClient client() {
            return (SftpClient) Proxy.newProxyInstance(SftpClient.class.getClassLoader(),
                    new Class<?>[] {SftpClient.class}, (proxy, method, args) -> {
                        String path = (String) args[0];
                        calls.add(method.getName() + " " + path);
                        switch (method.getName()) {
                            case "mkdir" -> {
                                String parent = path.substring(0, path.lastIndexOf('/'));
                                if (!"dir".equals(files.get(parent))) {
                                    throw new SftpException(SftpConstants.SSH_FX_NO_SUCH_FILE, "No such file");
                                }
                                if (files.containsKey(path)) {
                                    throw new SftpException(SftpConstants.SSH_FX_FAILURE, "Failure");
                                }
                                files.put(path, "dir");
                                return null;
                            }
                            case "stat", "lstat" -> {
                                beforeStat.run();
                                String kind = files.get(path);
                                if (kind == null) {
                                    throw new SftpException(SftpConstants.SSH_FX_NO_SUCH_FILE, "No such file");
                                }
                                boolean dir = "dir".equals(kind);
                                SftpClient.Attributes a = new SftpClient.Attributes().perms(dir ? 040755 : 0100644);
                                a.setType(dir ? SftpConstants.SSH_FILEXFER_TYPE_DIRECTORY
                                        : SftpConstants.SSH_FILEXFER_TYPE_REGULAR);
                                return a;
                            }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                    });
        }
    }

    @Test
    void aDirectoryRemovedBetweenItsMkdirAndTheLookTakesAnotherMkdir() throws Exception {
        ScriptedServer server = new ScriptedServer();
        server.files.put("/base/race", "dir");
        server.files.put("/base/race/dir", "dir"); // made by another writer: this mkdir fails with FAILURE
        server.beforeStat = () -> { // ... and a delete removes it, now empty, before it is looked at
            server.files.remove("/base/race/dir");
            server.beforeStat = () -> { };
        };

        DIRS.createParents(server.client(), "race/dir/t1-0");

        assertThat(server.files).containsEntry("/base/race/dir", "dir");
        assertThat(server.calls).containsExactly("mkdir /base/race/dir", "stat /base/race/dir",
                "mkdir /base/race/dir");
    }

    @Test
    void missingParentsAreMadeFromTheTopDown() throws Exception {
        ScriptedServer server = new ScriptedServer();

        DIRS.createParents(server.client(), "a/b/c/file");

        assertThat(server.files).containsEntry("/base/a", "dir").containsEntry("/base/a/b", "dir")
                .containsEntry("/base/a/b/c", "dir");
        assertThat(server.calls).containsExactly("mkdir /base/a/b/c", "mkdir /base/a/b", "mkdir /base/a",
                "mkdir /base/a/b", "mkdir /base/a/b/c");
    }

    @Test
    void aDirectoryThatIsThereAlreadyIsFineAndAFileInTheWayIsAClash() throws Exception {
        ScriptedServer server = new ScriptedServer();
        server.files.put("/base/d", "dir");
        DIRS.createParents(server.client(), "d/x");
        assertThat(server.calls).containsExactly("mkdir /base/d", "stat /base/d");

        server.files.put("/base/f", "file");
        assertThatThrownBy(() -> DIRS.createParents(server.client(), "f/x"))
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.USER_DATA))
                .hasMessageContaining("a file and a directory clash at /base/f");
    }

    @Test
    void aDirectoryThatKeepsVanishingFailsAfterTheLastAttempt() {
        ScriptedServer server = new ScriptedServer();
        server.files.put("/base/race", "dir");
        server.files.put("/base/race/dir", "dir");
        server.beforeStat = () -> server.files.remove("/base/race/dir"); // gone at every look, back at every mkdir
        SftpClient client = server.client();
        SftpClient remaking = (SftpClient) Proxy.newProxyInstance(SftpClient.class.getClassLoader(),
                new Class<?>[] {SftpClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("mkdir")) {
                        server.files.put("/base/race/dir", "dir");
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        assertThatThrownBy(() -> DIRS.createParents(remaking, "race/dir/t1-0"))
                .isInstanceOf(SftpException.class);
        assertThat(server.calls.stream().filter(c -> c.startsWith("mkdir"))).hasSize(SftpDirectories.RACE_ATTEMPTS);
    }
}
