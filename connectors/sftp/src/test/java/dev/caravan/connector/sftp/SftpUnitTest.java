package dev.caravan.connector.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.config.OptionDef;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.Test;

/** Locations, error classification and declared options of the SFTP connector; no network. */
class SftpUnitTest {

    @Test
    void locationsParse() {
        assertThat(SftpLocation.parse("alice@files.example.com:2222/srv/data/"))
                .isEqualTo(new SftpLocation("alice", "files.example.com", 2222, "/srv/data"));
        assertThat(SftpLocation.parse("alice@host/~/in/home")).isEqualTo(new SftpLocation("alice", "host", 22,
                "in/home"));
        assertThat(SftpLocation.parse("alice@host")).isEqualTo(new SftpLocation("alice", "host", 22, ""));
        assertThat(SftpLocation.parse("me@corp.com@[::1]:2200/x")).isEqualTo(new SftpLocation("me@corp.com", "::1",
                2200, "/x"));
        assertThat(SftpLocation.parse("host:22/x/a@b").user()).isEqualTo(System.getProperty("user.name"));
        assertThat(SftpLocation.parse("host:22/x/a@b").path()).isEqualTo("/x/a@b");
        assertThat(SftpLocation.parse("bob@h:23/d").uri()).isEqualTo("sftp:bob@h:23/d");
        assertThat(SftpLocation.parse("bob@h/~").uri()).isEqualTo("sftp:bob@h:22/~");
        assertThat(SftpLocation.parse("bob@h/d").remote("a b/c")).isEqualTo("/d/a b/c");
        assertThat(SftpLocation.parse("bob@h").remote("a")).isEqualTo("a");
        for (String bad : new String[] {"", "@host", "bob@:22/x", "bob@h:0/x", "bob@h:99999", "bob@h:x/y",
            "bob@[::1/x"}) {
            ContractSupport.assertFailsWith(ErrorKind.USER_CONFIG, "location '" + bad + "'",
                    () -> SftpLocation.parse(bad));
        }
    }

    @Test
    void failuresAreClassifiedByWhatToDo() {
        String where = "bob@h:22";
        assertThat(SftpErrors.translate(new SftpException(SftpConstants.SSH_FX_NO_SUCH_FILE, "No such file"), where,
                "/x").kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(SftpErrors.translate(new SftpException(SftpConstants.SSH_FX_PERMISSION_DENIED, "denied"), where,
                "/x").kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(SftpErrors.translate(new SftpException(SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, "full"),
                where, "/x").kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(SftpErrors.translate(new SftpException(SftpConstants.SSH_FX_OP_UNSUPPORTED, "no"), where,
                "/x").kind()).isEqualTo(ErrorKind.UNSUPPORTED);
        assertThat(SftpErrors.translate(new EOFException("closed"), where, "/x").kind())
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(SftpErrors.translate(new SshException("Session is being closed"), where, "/x").kind())
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(SftpErrors.connecting(new ConnectException("Connection refused"), where, null, false, false).kind())
                .isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(SftpErrors.connecting(new ConnectException("Connection refused"), where, null, false, true).kind())
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(SftpErrors.connecting(new IOException(new UnknownHostException("nohost")), where, null, false, false)
                .kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(SftpErrors.connecting(new SshException("No more authentication methods available"), where, null,
                false, false).getMessage()).contains("authentication failed").contains(where);
        MigrationException refused = SftpErrors.connecting(new SshException("x"), where, "host key of h:22 CHANGED",
                false, false);
        assertThat(refused.getMessage()).isEqualTo("host key of h:22 CHANGED");
        assertThat(refused.kind()).as("refused at the first connection").isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(SftpErrors.connecting(new SshException("x"), where, "host key of h:22 CHANGED during the run",
                true, true).kind()).as("a key that changed during the run stops it").isEqualTo(ErrorKind.FATAL);
    }

    @Test
    void optionsAreDeclaredAndSecretsMasked() {
        SftpStoreProvider provider = new SftpStoreProvider();
        assertThat(provider.options().list()).allSatisfy(def -> assertThat(def.description()).hasSizeGreaterThan(30));
        assertThat(provider.options().find("password")).map(OptionDef::secret).contains(true);
        assertThat(provider.options().find("privateKeyPassphrase")).map(OptionDef::secret).contains(true);
        assertThat(provider.options().find("strictHostKeyChecking")).map(OptionDef::defaultValue).contains("true");
        assertThat(provider.options().resolve(Map.of("password", "hunter2")).toString()).doesNotContain("hunter2");
        ContractSupport.assertFailsWith(ErrorKind.USER_CONFIG, "a malformed fingerprint",
                () -> provider.options().resolve(Map.of("hostKeyFingerprint", "MD5:aa:bb")));
        ContractSupport.assertFailsWith(ErrorKind.USER_CONFIG, "too many sessions",
                () -> provider.options().resolve(Map.of("sessions", "500")));
        assertThat(ServiceLoader.load(StoreProvider.class).stream().map(p -> p.get().scheme())).contains("sftp");
    }

    @Test
    void hostilePathsAreQuotedAsOneShellWord() throws Exception {
        for (String path : new String[] {"plain", "it's", "a b", "$HOME `id` $(id)", "-n", "line\nbreak", "''",
            "\\back", "semi;colon|pipe&amp", "*?[x]", "ünïcødé 文件", "trailing '"}) {
            String quoted = SftpRemoteHash.quote(path);
            // what a POSIX shell makes of the quoted word: printf prints its argument back unchanged
            Process sh = new ProcessBuilder("/bin/sh", "-c", "printf '%s' " + quoted).redirectErrorStream(true).start();
            String echoed = new String(sh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(sh.waitFor()).isZero();
            assertThat(echoed).as("the shell's reading of %s", quoted).isEqualTo(path);
        }
        ContractSupport.assertFailsWith(ErrorKind.USER_DATA, "a NUL in a path", () -> SftpRemoteHash.quote("a\0b"));
    }

    @Test
    void hashOutputIsParsedStrictly() {
        String sha = SftpRemoteHash.EMPTY_SHA256;
        assertThat(SftpRemoteHash.parse(sha + "  -\n")).contains(sha);
        assertThat(SftpRemoteHash.parse(sha.toUpperCase() + " *stdin\n")).contains(sha);
        assertThat(SftpRemoteHash.parse("\\" + sha + "  a\\nb\n")).contains(sha);
        assertThat(SftpRemoteHash.parse(sha + "\n")).contains(sha);
        assertThat(SftpRemoteHash.parse("")).isEmpty();
        assertThat(SftpRemoteHash.parse("SHA2-256(stdin)= " + sha)).isEmpty();
        assertThat(SftpRemoteHash.parse(sha.substring(1) + "  -")).isEmpty();
        assertThat(SftpRemoteHash.parse("d41d8cd98f00b204e9800998ecf8427e  -")).as("an MD5").isEmpty();
    }

    @Test
    void hashCommandIsDeclaredAndValidated() {
        SftpStoreProvider provider = new SftpStoreProvider();
        assertThat(provider.options().find("hashCommand")).map(OptionDef::defaultValue).contains("auto");
        assertThat(provider.options().resolve(Map.of("hashCommand", "openssl dgst -sha256 -r")).string("hashCommand"))
                .isEqualTo("openssl dgst -sha256 -r");
        ContractSupport.assertFailsWith(ErrorKind.USER_CONFIG, "a two-line command",
                () -> provider.options().resolve(Map.of("hashCommand", "sha256sum\nrm -rf /")));
        assertThat(new SftpRemoteHash("NONE", java.time.Duration.ofSeconds(1)).command(null)).isEmpty();
    }

    @Test
    void writeRequestsFitOnePacket() {
        // OpenSSH: 32 KiB packets, 4-byte handles; the header of a write takes 29 bytes
        assertThat(SftpWriter.requestSize(32 * 1024, 32 * 1024, 4)).isEqualTo(32 * 1024 - 29);
        assertThat(SftpWriter.requestSize(16 * 1024, 32 * 1024, 4)).as("smaller requests stay").isEqualTo(16 * 1024);
        assertThat(SftpWriter.requestSize(255 * 1024, 256 * 1024, 8)).isEqualTo(255 * 1024);
        assertThat(SftpWriter.requestSize(255 * 1024, 32 * 1024, 4)).isEqualTo(32 * 1024 - 29);
        assertThat(SftpWriter.requestSize(32 * 1024, 1024, 4)).as("tiny packets: left to MINA").isEqualTo(32 * 1024);
    }
}
