package dev.caravan.connector.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.KeySetPublickeyAuthenticator;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SSH server with its SFTP subsystem (Apache MINA SSHD) inside the test JVM, on 127.0.0.1 and a free
 * port: a virtual file system rooted in a directory, password and public-key authentication for one user, a
 * freshly generated ECDSA host key, and SFTP protocol version 3 (what OpenSSH speaks). Each test gets a fresh
 * directory below the served one through {@link #newRoot()}.
 */
final class SftpTestServer implements AutoCloseable {
    static final String USER = "caravan";
    static final String PASSWORD = "s3cret pass";

    private final Path served;
    private final SshServer server;
    private final KeyPair hostKey;
    private final KeyPair clientKey;
    private final AtomicInteger roots = new AtomicInteger();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicInteger sessionsCreated = new AtomicInteger();

    SftpTestServer(Path served) throws Exception {
        this(served, 0);
    }

    /**
     * A server of {@code served} on {@code port} (0: a free one) with a new host key: on the port of a stopped one,
     * it is that server restarted with other keys (or an impostor in its place).
     */
    SftpTestServer(Path served, int port) throws Exception {
        this.served = served;
        this.hostKey = ecKeyPair();
        this.clientKey = ecKeyPair();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessionsCreated.incrementAndGet();
            }
        });
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        server.setPublickeyAuthenticator(new KeySetPublickeyAuthenticator("test-keys", Set.of(clientKey.getPublic())));
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.addSftpEventListener(new SftpEventListener() {
            @Override
            public void written(ServerSession session, String remoteHandle, FileHandle localHandle, long offset,
                    byte[] data, int dataOffset, int dataLen, Throwable thrown) {
                bytesWritten.addAndGet(dataLen);
            }
        });
        server.setSubsystemFactories(List.of(sftp));
        server.setFileSystemFactory(new VirtualFileSystemFactory(served));
        SftpModuleProperties.SFTP_VERSION.set(server, 3);
        server.start();
    }

    static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** File bytes the server received in SSH_FXP_WRITE requests since it started. */
    long bytesWritten() {
        return bytesWritten.get();
    }

    /** SSH connections the server accepted since it started (each one a key exchange). */
    int sessionsCreated() {
        return sessionsCreated.get();
    }

    /** SSH connections open now. */
    int activeSessions() {
        return server.getActiveSessions().size();
    }

    int port() {
        return server.getPort();
    }

    Path served() {
        return served;
    }

    /** The user's key pair that the server accepts. */
    KeyPair clientKey() {
        return clientKey;
    }

    /** SHA256:... of the host key, as ssh-keygen prints it. */
    String fingerprint() {
        return KeyUtils.getFingerPrint(hostKey.getPublic());
    }

    /** A known_hosts line for this server: {@code [127.0.0.1]:port ecdsa-sha2-nistp256 AAAA...}. */
    String knownHostsLine() {
        return knownHostsLine(hostKey.getPublic());
    }

    String knownHostsLine(PublicKey key) {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key);
    }

    /** A fresh empty directory below the served one, as its path on the server ({@code /tN}). */
    String newRoot() {
        String name = "t" + roots.incrementAndGet();
        try {
            Files.createDirectories(served.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "/" + name;
    }

    /** The location {@code caravan@127.0.0.1:port/path}. */
    String location(String path) {
        return USER + "@127.0.0.1:" + port() + path;
    }

    /** A store of {@code path} on this server, through the provider, with {@link #options} plus {@code extra}. */
    dev.caravan.api.store.ObjectStore open(String path, String... extra) {
        SftpStoreProvider provider = new SftpStoreProvider();
        return provider.open(location(path), provider.options().resolve(options(extra)));
    }

    /** Options that log in with the password and pin the host key, plus {@code extra}. */
    Map<String, String> options(String... extra) {
        Map<String, String> options = new HashMap<>();
        options.put("password", PASSWORD);
        options.put("hostKeyFingerprint", fingerprint());
        for (int i = 0; i + 1 < extra.length; i += 2) {
            options.put(extra[i], extra[i + 1]);
        }
        return options;
    }

    /** Paths of the files below {@code dir} of the served tree, relative to it. */
    List<String> filesUnder(String dir) throws IOException {
        Path base = served.resolve(dir.substring(1));
        List<String> files = new ArrayList<>();
        try (var walk = Files.walk(base)) {
            walk.filter(Files::isRegularFile).forEach(p -> files.add(base.relativize(p).toString()));
        }
        return files;
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
