package dev.caravan.connector.sftp;

import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small pool of SFTP channels to one server, each on its own SSH connection (so transfers encrypt in
 * parallel). {@link #borrow()} hands out the least busy open channel and opens a new one while fewer than
 * {@code size} exist and all are busy; a channel may be shared by several callers at once (the SFTP client
 * multiplexes requests by id), so borrowing never blocks and a caller holding a channel (a stream being read)
 * can never starve another. Channels that break are dropped and replaced on demand; while none is open, one caller
 * connects and the others wait for its outcome (after a server restart, one handshake tells whether it is back and
 * is still the same server). A host key that changed during the run stops the store for good: every later borrow
 * fails with that FATAL error at once, without connecting again. Thread-safe.
 */
final class SftpConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SftpConnections.class);

    /** One SSH connection with its SFTP channel, and how many callers currently use it. */
    static final class Channel {
        final ClientSession session;
        final SftpClient sftp;
        int users;

        Channel(ClientSession session, SftpClient sftp) {
            this.session = session;
            this.sftp = sftp;
        }

        boolean isOpen() {
            return session.isOpen() && sftp.isOpen() && !sftp.isClosing();
        }
    }

    private final SftpLocation location;
    private final String password;
    private final List<KeyPair> identities;
    private final HostKeyCheck hostKeys;
    private final Duration connectTimeout;
    private final int size;
    private final SshClient client;
    private final List<Channel> channels = new ArrayList<>();
    private volatile boolean connectedBefore;
    /** The failure of the last connection attempt while none ever succeeded, and when it happened. */
    private volatile MigrationException firstFailure;
    private volatile long firstFailureAt;
    /** The refusal of a host key that changed during the run (FATAL), after which nothing is sent; or null. */
    private volatile MigrationException hostKeyChanged;
    private boolean closed;
    private int connecting;

    SftpConnections(SftpLocation location, SftpSettings settings) {
        this.location = location;
        this.password = settings.password();
        this.identities = loadIdentities(settings.privateKey(), settings.privateKeyPassphrase());
        this.hostKeys = new HostKeyCheck(location, settings.hostKeyFingerprint(), settings.knownHosts(),
                settings.strictHostKeyChecking());
        this.hostKeys.validate();
        if (password == null && identities.isEmpty()) {
            throw MigrationException.userConfig("the sftp connector needs credentials for " + location.user() + "@"
                    + location.hostPort() + ": set the option password or privateKey");
        }
        this.connectTimeout = settings.connectTimeout();
        this.size = settings.sessions();
        this.client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(hostKeys);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER); // only what was configured
        client.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
        // small SFTP requests (open, stat, close) must not wait for Nagle's algorithm: measured 13 ms per
        // open+read+close of a 30 KB file with it on (MINA's default), see docs/connectors/sftp.md
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.setCipherFactories(preferAesGcm(client.getCipherFactories()));
        client.start();
    }

    /**
     * The least busy open channel, opening a new connection when all are busy and the pool is not full. Waits
     * only while no channel is open and another caller is connecting.
     */
    Channel borrow() {
        synchronized (this) {
            while (true) {
                checkOpen();
                failIfHostKeyChanged();
                failAgainIfNeverConnected();
                channels.removeIf(c -> !c.isOpen());
                Channel best = null;
                for (Channel c : channels) {
                    if (best == null || c.users < best.users) {
                        best = c;
                    }
                }
                boolean full = channels.size() + connecting >= size;
                if (best != null && (best.users == 0 || full)) {
                    best.users++;
                    return best;
                }
                if (!full && (best != null || connecting == 0)) {
                    connecting++;
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw MigrationException.transientError("interrupted while waiting for an SFTP connection to "
                            + where(), e);
                }
            }
        }
        Channel fresh = null;
        boolean added = false;
        try {
            fresh = connect();
        } finally {
            synchronized (this) {
                connecting--;
                if (fresh != null && !closed) {
                    channels.add(fresh); // counted before the slot is freed: the pool never exceeds its size
                    fresh.users++;
                    added = true;
                }
                notifyAll();
            }
        }
        if (!added) {
            closeQuietly(fresh);
            checkOpen();
        }
        return fresh;
    }

    /**
     * A store that never connected and whose last attempt failed less than {@code connectTimeout} ago fails again at
     * once, with that failure, instead of waiting for another timeout: resolving the root (for the overlap check) and
     * the listing after it each waited the whole timeout against an unreachable host.
     */
    private void failAgainIfNeverConnected() {
        MigrationException failed = firstFailure;
        if (failed != null && !connectedBefore && System.nanoTime() - firstFailureAt < connectTimeout.toNanos()) {
            throw new MigrationException(failed.kind(), failed.getMessage(), failed);
        }
    }

    /** Once a host key changed during the run, nothing more is sent to the server: every caller gets that error. */
    private void failIfHostKeyChanged() {
        MigrationException changed = hostKeyChanged;
        if (changed != null) {
            throw new MigrationException(changed.kind(), changed.getMessage(), changed);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the SFTP store of " + location.hostPort() + " is closed");
        }
    }

    /**
     * The client's ciphers with AES-GCM first: the JDK runs AES-GCM with AES-NI and carry-less multiply
     * intrinsics, while MINA's ChaCha20-Poly1305 (its default first choice) is plain Java, several times slower
     * for bulk data. The server still picks from the whole list, so no server is refused.
     */
    private static List<NamedFactory<Cipher>> preferAesGcm(List<NamedFactory<Cipher>> ciphers) {
        List<NamedFactory<Cipher>> ordered = new ArrayList<>();
        for (String first : List.of("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr")) {
            ciphers.stream().filter(c -> c.getName().equals(first)).forEach(ordered::add);
        }
        ciphers.stream().filter(c -> !ordered.contains(c)).forEach(ordered::add);
        return ordered;
    }

    /** Gives a channel back; a broken one is closed and forgotten. */
    void release(Channel channel) {
        boolean broken;
        synchronized (this) {
            channel.users--;
            broken = !channel.isOpen();
            if (broken) {
                channels.remove(channel);
            }
        }
        if (broken) {
            closeQuietly(channel);
        }
    }

    /** {@code host:port} for messages. */
    String where() {
        return location.user() + "@" + location.hostPort();
    }

    private Channel connect() {
        ClientSession session = null;
        try {
            session = client.connect(location.user(), location.host(), location.port())
                    .verify(connectTimeout).getSession();
            if (password != null) {
                session.addPasswordIdentity(password);
            }
            for (KeyPair identity : identities) {
                session.addPublicKeyIdentity(identity);
            }
            session.auth().verify(connectTimeout);
            SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
            connectedBefore = true;
            EndpointOutage.of("sftp://" + where()).answered();
            LOG.debug("connected to {} (SFTP version {})", where(), sftp.getVersion());
            return new Channel(session, sftp);
        } catch (IOException | RuntimeException e) {
            String refusal = hostKeys.refusal(session, e); // read before the session is closed
            if (session != null) {
                try {
                    session.close();
                } catch (IOException ignored) {
                    // the connection failure is the one to report
                }
            }
            boolean changed = refusal != null && hostKeys.changedDuringRun();
            MigrationException failure = SftpErrors.connecting(e, where(), refusal, changed, connectedBefore);
            if (changed) {
                hostKeyChanged = failure;
            }
            if (!connectedBefore) {
                firstFailureAt = System.nanoTime();
                firstFailure = failure;
            }
            throw failure;
        }
    }

    private static List<KeyPair> loadIdentities(Path privateKey, String passphrase) {
        if (privateKey == null) {
            return List.of();
        }
        List<KeyPair> pairs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(privateKey)) {
            FilePasswordProvider provider = passphrase == null ? FilePasswordProvider.EMPTY
                    : FilePasswordProvider.of(passphrase);
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null,
                    NamedResource.ofName(privateKey.toString()), in, provider);
            if (loaded != null) {
                loaded.forEach(pairs::add);
            }
        } catch (NoSuchFileException e) {
            throw MigrationException.userConfig("private key file " + privateKey + " does not exist (option "
                    + "privateKey)");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw MigrationException.userConfig("cannot read the private key " + privateKey + ": " + e.getMessage()
                    + (passphrase == null ? " (is it encrypted? set privateKeyPassphrase)"
                            : " (wrong privateKeyPassphrase?)"));
        }
        if (pairs.isEmpty()) {
            throw MigrationException.userConfig("no key found in " + privateKey + " (option privateKey expects an "
                    + "OpenSSH or PEM private key file)");
        }
        return List.copyOf(pairs);
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.sftp.close();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
        try {
            channel.session.close();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        List<Channel> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(channels);
            channels.clear();
        }
        all.forEach(SftpConnections::closeQuietly);
        client.stop();
    }
}
