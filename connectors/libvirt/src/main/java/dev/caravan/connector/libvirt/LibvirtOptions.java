package dev.caravan.connector.libvirt;

import dev.caravan.api.error.ErrorKind;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.error.MigrationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.libvirt.Connect;
import org.libvirt.ConnectAuth;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;

/**
 * The connection options shared by the {@code libvirt} and {@code libvirt-pool} schemes, and opening a libvirt
 * connection from a URI and those options. Credentials go to libvirt's authentication callback, never into the
 * URI; TLS and SSH settings become the URI parameters libvirt documents ({@code pkipath}, {@code no_verify},
 * {@code keyfile}).
 */
final class LibvirtOptions {

    static final OptionDef USERNAME = OptionDef.of("username", OptionType.STRING,
            "User name for libvirt's authentication (SASL on qemu+tcp://, policy kit), and the SSH user of "
                    + "qemu+ssh:// when the URI names none.");
    static final OptionDef PASSWORD = OptionDef.of("password", OptionType.PASSWORD,
            "Password or passphrase answered to libvirt's authentication callback. Secret: masked everywhere.");
    static final OptionDef PKI_PATH = OptionDef.of("pkiPath", OptionType.STRING,
            "Directory holding cacert.pem, clientcert.pem and clientkey.pem for qemu+tls:// (URI parameter "
                    + "pkipath). Default: libvirt's (/etc/pki/...).");
    static final OptionDef TLS_VERIFY = OptionDef.of("tlsVerify", OptionType.BOOLEAN,
            "Verify the server certificate of qemu+tls://. false adds no_verify=1: for tests only.")
            .withDefault("true");
    static final OptionDef SSH_KEY = OptionDef.of("sshKeyFile", OptionType.STRING,
            "Private key file for qemu+ssh:// (URI parameter keyfile). Its passphrase, if any, is 'password'.");
    static final OptionDef POLL_INTERVAL = OptionDef.of("pollInterval", OptionType.DURATION,
            "How often a running migration or block job is polled for progress (and the timeout checked).")
            .withDefault("500ms");

    /** The options of both schemes, in declaration order. */
    static List<OptionDef> common() {
        return List.of(USERNAME, PASSWORD, PKI_PATH, TLS_VERIFY, SSH_KEY, POLL_INTERVAL);
    }

    private LibvirtOptions() {
    }

    /** The URI libvirt is given: {@code location} plus user and the TLS/SSH parameters. */
    static String effectiveUri(String location, Config config) {
        if (location == null || location.isBlank() || !location.contains(":")) {
            throw MigrationException.userConfig("a libvirt connection needs a libvirt URI, e.g. "
                    + "qemu+ssh://root@host/system, qemu+tcp://host/system, "
                    + "qemu+unix:///system?socket=/run/libvirt/libvirt-sock or test:///path/host.xml; got '"
                    + location + "'");
        }
        String uri = location.trim();
        try {
            URI parsed = new URI(uri);
            String user = config.string(USERNAME.name());
            if (user != null && parsed.getScheme() != null && parsed.getScheme().endsWith("+ssh")
                    && parsed.getUserInfo() == null && parsed.getHost() != null) {
                uri = new URI(parsed.getScheme(), user, parsed.getHost(), parsed.getPort(), parsed.getPath(),
                        parsed.getQuery(), parsed.getFragment()).toString();
            }
        } catch (URISyntaxException e) {
            throw MigrationException.userConfig("not a libvirt URI: '" + location + "' (" + e.getReason() + ")");
        }
        List<String> extra = new ArrayList<>();
        if (config.string(PKI_PATH.name()) != null && !uri.contains("pkipath=")) {
            extra.add("pkipath=" + config.string(PKI_PATH.name()));
        }
        if (!config.get(TLS_VERIFY.name()).map(Boolean::parseBoolean).orElse(true) && !uri.contains("no_verify=")) {
            extra.add("no_verify=1");
        }
        if (config.string(SSH_KEY.name()) != null && !uri.contains("keyfile=")) {
            extra.add("keyfile=" + config.string(SSH_KEY.name()));
        }
        if (extra.isEmpty()) {
            return uri;
        }
        return uri + (uri.contains("?") ? "&" : "?") + String.join("&", extra);
    }

    static Duration pollInterval(Config config) {
        return config.duration(POLL_INTERVAL.name()).orElse(Duration.ofMillis(500));
    }

    /** Opens a connection; libvirt's own stderr printing of errors is switched off (they are thrown anyway). */
    static Connect connect(String uri, Config config) {
        try {
            Connect.setErrorCallback(new ErrorCallback());
            String user = config.string(USERNAME.name());
            String password = config.string(PASSWORD.name());
            if (user == null && password == null) {
                return new Connect(uri);
            }
            return new Connect(uri, new Credentials(user, password), 0);
        } catch (LibvirtException e) {
            MigrationException failed = LibvirtErrors.translate(e, "connecting to " + uri);
            if (failed.kind() == ErrorKind.TRANSIENT) {
                // nothing has answered at this URI yet: a wrong address or a daemon not running, which a retry of the
                // same command does not fix (as an object store's endpoint that never answered: exit code 2)
                throw new MigrationException(ErrorKind.USER_CONFIG, failed.getMessage() + " (is libvirtd running"
                        + " there and reachable, and is this its URI?)", e);
            }
            throw failed;
        } catch (LinkageError e) {
            throw LibvirtErrors.nativeLibraryMissing(e);
        }
    }

    /** Answers libvirt's credential prompts from the options. */
    private static final class Credentials extends ConnectAuth {
        private final String user;
        private final String password;

        Credentials(String user, String password) {
            this.user = user;
            this.password = password;
            credType = new CredentialType[] {CredentialType.VIR_CRED_AUTHNAME, CredentialType.VIR_CRED_USERNAME,
                CredentialType.VIR_CRED_PASSPHRASE, CredentialType.VIR_CRED_NOECHOPROMPT,
                CredentialType.VIR_CRED_ECHOPROMPT};
        }

        @Override
        public int callback(Credential[] creds) {
            for (Credential c : creds) {
                switch (c.type) {
                    case VIR_CRED_AUTHNAME, VIR_CRED_USERNAME, VIR_CRED_ECHOPROMPT -> {
                        if (user == null) {
                            return -1;
                        }
                        c.result = user;
                    }
                    case VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT -> {
                        if (password == null) {
                            return -1;
                        }
                        c.result = password;
                    }
                    default -> {
                        return -1;
                    }
                }
            }
            return 0;
        }
    }
}
