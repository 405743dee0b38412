package dev.caravan.connector.sftp;

import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether to trust the host key an SSH server presents. In order:
 * <ol>
 * <li>with {@code hostKeyFingerprint} ({@code SHA256:...} as printed by {@code ssh-keygen -lf}), the key must
 * have exactly that fingerprint;</li>
 * <li>else the key must be listed for {@code host} (or {@code [host]:port} for a port other than 22) in the
 * known_hosts file, hashed entries included; {@code @revoked} entries refuse the key;</li>
 * <li>with {@code strictHostKeyChecking=false}, any key is accepted (and its fingerprint logged).</li>
 * </ol>
 * A refusal is remembered with the connection ({@link #refusal(ClientSession)}) so that its failure can name the
 * fingerprint seen and say what to change. The first key accepted is remembered too: a later connection that is
 * refused (a server restarted with other keys, or someone intercepting) is a key that {@linkplain #changedDuringRun
 * changed during the run}, and its message names the old and the new fingerprint. The known_hosts file is read once,
 * when the first connection is made. Thread-safe.
 */
final class HostKeyCheck implements ServerKeyVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(HostKeyCheck.class);
    /** Set on a connection whose key was refused: what the refusal said. */
    private static final AttributeRepository.AttributeKey<String> REFUSAL = new AttributeRepository.AttributeKey<>();
    /** How MINA SSHD's failure says that {@link #verifyServerKey} refused the key. */
    static final String KEY_NOT_VALIDATED = "Server key did not validate";

    private final SftpLocation location;
    private final String fingerprint;
    private final Path knownHosts;
    private final boolean strict;
    /** The type and fingerprint of the first key accepted ({@code ECDSA SHA256:...}), or {@code null}. */
    private final AtomicReference<String> accepted = new AtomicReference<>();
    /** What the last refusal said, for a connection whose session was gone before its attribute could be read. */
    private final AtomicReference<String> lastRefusal = new AtomicReference<>();
    private volatile List<KnownHostEntry> entries;

    HostKeyCheck(SftpLocation location, String fingerprint, Path knownHosts, boolean strict) {
        this.location = location;
        this.fingerprint = fingerprint == null || fingerprint.isBlank() ? null : fingerprint.trim();
        this.knownHosts = knownHosts;
        this.strict = strict;
    }

    /**
     * Checks the configuration before any connection: a strict check needs a fingerprint or a known_hosts file,
     * which is read here (a malformed file fails now, not inside the SSH handshake).
     */
    void validate() {
        if (fingerprint == null) {
            entries();
        }
        if (strict && fingerprint == null && (knownHosts == null || !Files.isReadable(knownHosts))) {
            throw MigrationException.userConfig("host-key checking is on but there is no known_hosts file "
                    + (knownHosts == null ? "" : "at " + knownHosts + " ") + "to check " + location.hostPort()
                    + " against: set hostKeyFingerprint=SHA256:... (from 'ssh-keygen -lf' of the server's key "
                    + "or 'ssh-keyscan -p " + location.port() + " " + location.host() + " | ssh-keygen -lf -'), "
                    + "point knownHosts at a file that lists the server, or (unsafe) set "
                    + "strictHostKeyChecking=false");
        }
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        String seen = KeyUtils.getFingerPrint(serverKey);
        String type = KeyUtils.getKeyType(serverKey);
        String problem;
        if (fingerprint != null) {
            problem = fingerprint.equals(seen) ? null : "host key of " + location.hostPort() + " does not match "
                    + "hostKeyFingerprint: the server presented " + type + " key " + seen + ", expected " + fingerprint
                    + " (if the server's key really changed, update hostKeyFingerprint; otherwise someone may be "
                    + "intercepting)";
        } else {
            Boolean known = lookUp(serverKey);
            problem = Boolean.TRUE.equals(known) ? null : Boolean.FALSE.equals(known)
                    ? "host key of " + location.hostPort() + " has CHANGED or is revoked: the server presented " + type
                            + " key " + seen + ", which " + knownHosts + " does not list for this host (if the change "
                            + "is expected, replace the host's line in known_hosts or set hostKeyFingerprint=" + seen
                            + ")"
                    : "unknown host " + location.hostPort() + ": its " + type + " key " + seen + " is not in "
                            + knownHosts + " (verify the fingerprint with the server's administrator, then add it "
                            + "with 'ssh-keyscan -p " + location.port() + " " + location.host() + " >> " + knownHosts
                            + "' or set hostKeyFingerprint=" + seen + ")";
            if (problem != null && !strict) {
                LOG.warn("accepting the host key because strictHostKeyChecking=false: {}", problem);
                problem = null;
            }
        }
        if (problem == null) {
            accepted.compareAndSet(null, type + " key " + seen);
            return true;
        }
        String before = accepted.get();
        if (before != null) {
            problem = changed(before, type + " key " + seen, seen);
        }
        // the connection's failure says it, in one line (SftpErrors.connecting): not logged twice
        LOG.debug("{}", problem);
        lastRefusal.set(problem);
        session.setAttribute(REFUSAL, problem);
        return false;
    }

    /**
     * What a refusal says once a key of this server was accepted earlier in the run: the key changed under a running
     * migration, which stops it ({@link #changedDuringRun}).
     */
    private String changed(String before, String now, String seen) {
        String accept = fingerprint != null ? "set hostKeyFingerprint=" + seen
                : "replace the host's line in " + knownHosts + " ('ssh-keygen -R " + knownHostsName() + " -f "
                        + knownHosts + "', then add the new key) or set hostKeyFingerprint=" + seen;
        return "host key of " + location.hostPort() + " CHANGED during the run: the server presented " + before
                + " until now and presents " + now + " since; the run stops and nothing more is sent to this server "
                + "(someone may be intercepting the connection). If the server's administrator confirms the new key, "
                + accept + ", then run the same command again: it continues the run";
    }

    /** The host as known_hosts names it: {@code host}, or {@code '[host]:port'} for a port other than 22. */
    private String knownHostsName() {
        return location.port() == 22 ? location.host() : "'[" + location.host() + "]:" + location.port() + "'";
    }

    /**
     * What the check said when it refused the key of {@code session}, or {@code null} when it did not refuse it. A
     * connection can fail on the refusal before its session is handed out (the key exchange ends it while the connect
     * future completes, seen on a loaded machine): then a failure saying that the server key did not validate is
     * taken as this check's last refusal, which a retry would only repeat.
     */
    String refusal(ClientSession session, Throwable failure) {
        String said = session == null ? null : session.getAttribute(REFUSAL);
        for (Throwable t = failure; said == null && t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(KEY_NOT_VALIDATED)) {
                said = lastRefusal.get();
            }
        }
        return said;
    }

    /**
     * Whether a refusal is of a key other than the one this server presented earlier in the run: a security stop
     * (FATAL), not a configuration to fix before the run (USER_CONFIG).
     */
    boolean changedDuringRun() {
        return accepted.get() != null;
    }

    /** TRUE: listed for this host; FALSE: the host is listed with other keys only, or the key is revoked; null: host not listed. */
    private Boolean lookUp(PublicKey key) {
        List<KnownHostEntry> all = entries();
        boolean hostListed = false;
        for (KnownHostEntry entry : all) {
            if (!entry.isHostMatch(location.host(), location.port())) {
                continue;
            }
            PublicKey listed;
            try {
                listed = entry.getKeyEntry().resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
            } catch (IOException | GeneralSecurityException e) {
                continue; // a key type this client cannot read (e.g. a security-key type): not a match
            }
            if (listed == null) {
                continue;
            }
            boolean same = KeyUtils.compareKeys(listed, key);
            if ("revoked".equalsIgnoreCase(entry.getMarker())) {
                if (same) {
                    return Boolean.FALSE;
                }
                continue;
            }
            if (same) {
                return Boolean.TRUE;
            }
            if (KeyUtils.getKeyType(listed).equals(KeyUtils.getKeyType(key))) {
                hostListed = true; // same type, other key: a changed key
            }
        }
        return hostListed ? Boolean.FALSE : null;
    }

    private List<KnownHostEntry> entries() {
        List<KnownHostEntry> read = entries;
        if (read == null) {
            if (knownHosts == null || !Files.isReadable(knownHosts)) {
                read = List.of();
            } else {
                try {
                    read = KnownHostEntry.readKnownHostEntries(knownHosts);
                } catch (IOException e) {
                    throw MigrationException.userConfig("cannot read the known_hosts file " + knownHosts + ": "
                            + e.getMessage());
                }
            }
            entries = read;
        }
        return read;
    }
}
