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
 * A refusal is remembered so that the connection failure can name the fingerprint seen and say what to change.
 * The known_hosts file is read once, when the first connection is made. Thread-safe.
 */
final class HostKeyCheck implements ServerKeyVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(HostKeyCheck.class);

    private final SftpLocation location;
    private final String fingerprint;
    private final Path knownHosts;
    private final boolean strict;
    private final AtomicReference<String> refusal = new AtomicReference<>();
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
        if (fingerprint != null) {
            if (fingerprint.equals(seen)) {
                return true;
            }
            return refuse("host key of " + location.hostPort() + " does not match hostKeyFingerprint: the server "
                    + "presented " + type + " key " + seen + ", expected " + fingerprint + " (if the server's key "
                    + "really changed, update hostKeyFingerprint; otherwise someone may be intercepting)");
        }
        Boolean known = lookUp(serverKey);
        if (Boolean.TRUE.equals(known)) {
            return true;
        }
        String problem = Boolean.FALSE.equals(known)
                ? "host key of " + location.hostPort() + " has CHANGED or is revoked: the server presented " + type
                        + " key " + seen + ", which " + knownHosts + " does not list for this host (if the change is "
                        + "expected, replace the host's line in known_hosts or set hostKeyFingerprint=" + seen + ")"
                : "unknown host " + location.hostPort() + ": its " + type + " key " + seen + " is not in "
                        + knownHosts + " (verify the fingerprint with the server's administrator, then add it "
                        + "with 'ssh-keyscan -p " + location.port() + " " + location.host() + " >> " + knownHosts
                        + "' or set hostKeyFingerprint=" + seen + ")";
        if (!strict) {
            LOG.warn("accepting the host key because strictHostKeyChecking=false: {}", problem);
            return true;
        }
        return refuse(problem);
    }

    /** What the last refusal said, or {@code null} when no key was refused. */
    String refusal() {
        return refusal.get();
    }

    private boolean refuse(String problem) {
        refusal.set(problem);
        LOG.error("{}", problem);
        return false;
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
