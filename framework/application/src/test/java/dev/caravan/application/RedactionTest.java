package dev.caravan.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.application.model.Redaction;
import org.junit.jupiter.api.Test;

/**
 * What {@link Redaction} hides of the commands, URLs and outputs an application run shows, and what it leaves as
 * written (ordinary names and values, user names of SSH-style URLs, {@code ${NAME}} placeholders).
 */
class RedactionTest {
    @Test
    void credentialsInUrlsAreHidden() {
        assertThat(Redaction.text("https://lb.example.org/api?token=abc123&pool=web"))
                .isEqualTo("https://lb.example.org/api?token=****&pool=web");
        assertThat(Redaction.text("http://h/x?a=1&access_token=t0k;client_secret=s3c&X-Amz-Signature=f00&sig=zz"))
                .isEqualTo("http://h/x?a=1&access_token=****;client_secret=****&X-Amz-Signature=****&sig=****");
        assertThat(Redaction.text("https://ops:hunter2@lb.example.org/api"))
                .isEqualTo("https://ops:****@lb.example.org/api");
        assertThat(Redaction.text("git clone https://ghp_tok3n@github.com/o/r.git"))
                .isEqualTo("git clone https://****@github.com/o/r.git");
        assertThat(Redaction.text("jdbc:postgresql://db/app?user=app&password=pw1"))
                .isEqualTo("jdbc:postgresql://db/app?user=app&password=****");
        assertThat(Redaction.text("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5==;EndpointSuffix=x"))
                .isEqualTo("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=****;EndpointSuffix=x");
    }

    @Test
    void headersKeysAndTokensInCommandsAreHidden() {
        assertThat(Redaction.text("curl -H 'Authorization: Bearer abc.def' -H \"X-Api-Key: k3y\" https://h/"))
                .isEqualTo("curl -H 'Authorization: Bearer ****' -H \"X-Api-Key: ****\" https://h/");
        assertThat(Redaction.text("export DB_PASSWORD=hunter2 && run")).isEqualTo("export DB_PASSWORD=**** && run");
        assertThat(Redaction.text("echo '" + FakeSecrets.privateKey("OPENSSH", "b3BlbnNzaA==") + "' > id"))
                .isEqualTo("echo '" + FakeSecrets.armour("BEGIN", "OPENSSH") + "****"
                        + FakeSecrets.armour("END", "OPENSSH") + "' > id");
        assertThat(Redaction.text("token " + FakeSecrets.jwt("123") + " sent")).isEqualTo("token **** sent");
    }

    @Test
    void ordinaryTextPlaceholdersAndUserNamesStayAsWritten() {
        for (String plain : new String[] {"https://example.org/a?page=2&author=bob&keyColumn=id&sortKey=name",
                "libvirt:qemu+ssh://root@old-host/system", "sftp://deploy@files.example.org/srv",
                "curl -H \"Authorization: Bearer ${LB_TOKEN}\" https://h/?token=${STATUS_TOKEN}",
                "jdbc:sqlite:/srv/old/app.db", "systemctl reload pinboard && echo done: ok",
                "hook shell 'exit 3' failed: exit code 3 (expected 0)", "db.url=jdbc:postgresql://db:5432/app",
                "PASS: health check, bypass=on, session: 42"}) {
            assertThat(Redaction.text(plain)).isEqualTo(plain);
        }
    }

    @Test
    void valuesAndNamesThatLookSecret() {
        assertThat(Redaction.secretValue("Bearer abc")).isTrue();
        assertThat(Redaction.secretValue(FakeSecrets.armour("BEGIN", "RSA") + "\nMIIE")).isTrue();
        assertThat(Redaction.secretValue("https://status.example.org")).isFalse();
        assertThat(Redaction.secretValue("basically fine")).isFalse();
        assertThat(Redaction.secretName("access_token")).isTrue();
        assertThat(Redaction.secretName("Authorization")).isTrue();
        assertThat(Redaction.secretName("author")).isFalse();
        assertThat(Redaction.secretName("keyColumn")).isFalse();
        assertThat(Redaction.secretVariable("LB_TOKEN")).isTrue();
        assertThat(Redaction.secretVariable("STATUS_URL")).isFalse();
    }
}
