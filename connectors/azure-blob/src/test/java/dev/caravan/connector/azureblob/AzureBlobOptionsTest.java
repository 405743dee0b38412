package dev.caravan.connector.azureblob;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Option declarations, the cross-field rules and location parsing of the provider; no network. */
class AzureBlobOptionsTest {
    private static final String KEY = Azurite.KEY;
    private static final String CS = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + KEY
            + ";BlobEndpoint=http://127.0.0.1:18010/devstoreaccount1;";
    private final AzureBlobStoreProvider provider = new AzureBlobStoreProvider();

    private Config resolve(String... pairs) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            raw.put(pairs[i], pairs[i + 1]);
        }
        return provider.options().resolve(raw);
    }

    private MigrationException refused(String... pairs) {
        return assertFailsWith(ErrorKind.USER_CONFIG, "options " + String.join(" ", pairs),
                () -> AzureBlobOptions.credentials(resolve(pairs)));
    }

    @Test
    void everyOptionIsDescribedAndSecretsAreMarked() {
        assertThat(provider.scheme()).isEqualTo("azblob");
        for (OptionDef def : provider.options().list()) {
            assertThat(def.description()).as(def.name()).hasSizeGreaterThan(30);
        }
        for (String secret : new String[] {"connectionString", "accountKey", "sasToken"}) {
            assertThat(provider.options().find(secret).orElseThrow().secret()).as(secret).isTrue();
        }
        for (String plain : new String[] {"account", "endpoint", "blockSize"}) {
            assertThat(provider.options().find(plain).orElseThrow().secret()).as(plain).isFalse();
        }
        assertThat(provider.options().find("blockSize").orElseThrow().defaultValue()).isEqualTo("8M");
        assertThat(provider.options().find("uploadConcurrency").orElseThrow().defaultValue()).isEqualTo("4");
        assertThat(provider.options().find("createContainer").orElseThrow().defaultValue()).isEqualTo("false");
    }

    @Test
    void secretsNeverShowInConfigOrCredentials() {
        Config config = resolve("account", "devstoreaccount1", "accountKey", KEY);
        assertThat(config.toString()).doesNotContain(KEY).contains("****");
        assertThat(AzureBlobOptions.credentials(config).toString()).doesNotContain(KEY);
        Config cs = resolve("connectionString", CS);
        assertThat(cs.toString()).doesNotContain(KEY);
        assertThat(AzureBlobOptions.credentials(cs).toString()).doesNotContain(KEY);
    }

    @Test
    void exactlyOneCredentialStyle() {
        assertThat(refused().getMessage()).contains("needs credentials");
        assertThat(refused("connectionString", CS, "accountKey", KEY, "account", "abc").getMessage())
                .contains("one credential style").contains("connectionString and accountKey");
        assertThat(refused("accountKey", KEY, "sasToken", "sv=1&sig=2", "account", "abc").getMessage())
                .contains("accountKey and sasToken");
    }

    @Test
    void eachStyleNeedsItsCompanions() {
        assertThat(refused("accountKey", KEY).getMessage()).contains("accountKey needs account");
        assertThat(refused("sasToken", "sv=1&sig=2").getMessage()).contains("sasToken needs account or endpoint");
        assertThat(refused("connectionString", CS, "endpoint", "http://127.0.0.1:1/x").getMessage())
                .contains("remove endpoint");
        assertThat(refused("connectionString", CS, "account", "abc").getMessage()).contains("remove account");
        assertThat(refused("connectionString", "AccountName=abc;BlobEndpoint=http://x").getMessage())
                .contains("neither AccountKey nor SharedAccessSignature");
        String badKey = CS.replaceFirst("AccountKey=[^;]+", "AccountKey=Eby8vdM0x==Q");
        assertThat(refused("connectionString", badKey).getMessage())
                .isEqualTo("the AccountKey in connectionString is not Base64: copy the whole connection string of "
                        + "the storage account");
        String badEndpoint = CS.replaceFirst("BlobEndpoint=[^;]+", "BlobEndpoint=ht tp://bad host/x");
        assertThat(refused("connectionString", badEndpoint).getMessage())
                .isEqualTo("the BlobEndpoint in connectionString: 'ht tp://bad host/x' is not an http(s) URL such as"
                        + " http://127.0.0.1:10000/devstoreaccount1");
    }

    @Test
    void stylesResolveToEndpoints() {
        AzureBlobOptions.Credentials key = AzureBlobOptions.credentials(resolve("account", "myacct", "accountKey",
                KEY));
        assertThat(key.style()).isEqualTo(AzureBlobOptions.Style.ACCOUNT_KEY);
        assertThat(key.endpoint()).isEqualTo("https://myacct.blob.core.windows.net");
        AzureBlobOptions.Credentials sas = AzureBlobOptions.credentials(resolve("endpoint",
                "http://127.0.0.1:18010/devstoreaccount1/", "sasToken", "?sv=1&sig=2"));
        assertThat(sas.style()).isEqualTo(AzureBlobOptions.Style.SAS);
        assertThat(sas.endpoint()).isEqualTo("http://127.0.0.1:18010/devstoreaccount1");
        assertThat(sas.secret()).isEqualTo("sv=1&sig=2");
        AzureBlobOptions.Credentials cs = AzureBlobOptions.credentials(resolve("connectionString", CS));
        assertThat(cs.account()).isEqualTo("devstoreaccount1");
    }

    @Test
    void singleValuesAreValidatedWithoutEchoingSecrets() {
        MigrationException badKey = assertFailsWith(ErrorKind.USER_CONFIG, "non-Base64 key",
                () -> resolve("account", "abc", "accountKey", "not base64 !!"));
        assertThat(badKey.getMessage()).contains("not Base64").doesNotContain("not base64 !!");
        assertFailsWith(ErrorKind.USER_CONFIG, "upper-case account", () -> resolve("account", "MyAccount"));
        assertFailsWith(ErrorKind.USER_CONFIG, "ftp endpoint", () -> resolve("endpoint", "ftp://x/y"));
        assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "endpoint without a scheme",
                () -> resolve("endpoint", "127.0.0.1:10000/devstoreaccount1")).getMessage())
                .contains("is not an http(s) URL such as http://127.0.0.1:10000/devstoreaccount1");
        assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "SAS in the endpoint",
                () -> resolve("endpoint", "https://a.blob.core.windows.net/?sv=1&sig=secret")).getMessage())
                .contains("sasToken").doesNotContain("sig=secret");
        assertFailsWith(ErrorKind.USER_CONFIG, "block of 1 byte", () -> resolve("blockSize", "1"));
        assertFailsWith(ErrorKind.USER_CONFIG, "block of 2G", () -> resolve("blockSize", "2G"));
        assertFailsWith(ErrorKind.USER_CONFIG, "concurrency 0", () -> resolve("uploadConcurrency", "0"));
        assertFailsWith(ErrorKind.USER_CONFIG, "threshold 1G", () -> resolve("singleUploadThreshold", "1G"));
        assertFailsWith(ErrorKind.USER_CONFIG, "tier Glacier", () -> resolve("accessTier", "Glacier"));
        assertFailsWith(ErrorKind.USER_CONFIG, "unknown option", () -> resolve("accountname", "x"));
        assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "scope with a space",
                () -> resolve("encryptionScope", "my scope")).getMessage()).contains("3 to 63 letters");
        assertFailsWith(ErrorKind.USER_CONFIG, "scope of two letters", () -> resolve("encryptionScope", "ab"));
        assertThat(AzureBlobOptions.settings(resolve("connectionString", CS, "encryptionScope", " Scope-1 "))
                .encryptionScope()).isEqualTo("Scope-1");
        assertThat(AzureBlobOptions.settings(resolve("connectionString", CS)).encryptionScope()).isNull();
    }

    @Test
    void settingsFromOptions() {
        AzureBlobSettings s = AzureBlobOptions.settings(resolve("connectionString", CS, "blockSize", "16M",
                "uploadConcurrency", "2", "singleUploadThreshold", "1M", "createContainer", "true", "accessTier", "cool"));
        assertThat(s.blockSize()).isEqualTo(16L << 20);
        assertThat(s.uploadConcurrency()).isEqualTo(2);
        assertThat(s.singleUploadThreshold()).isEqualTo(1L << 20);
        assertThat(s.createContainer()).isTrue();
        assertThat(s.accessTier()).isEqualTo("Cool");
        AzureBlobSettings defaults = AzureBlobOptions.settings(resolve("connectionString", CS));
        assertThat(defaults.blockSize()).isEqualTo(8L << 20);
        assertThat(defaults.accessTier()).isNull();
    }

    @Test
    void locations() {
        assertThat(AzureBlobStoreProvider.parseLocation("box")).containsExactly("box", "");
        assertThat(AzureBlobStoreProvider.parseLocation("box/a/b/")).containsExactly("box", "a/b/");
        assertThat(AzureBlobStoreProvider.parseLocation("/box/a")).containsExactly("box", "a/");
        assertThat(AzureBlobStoreProvider.parseLocation("$root")).containsExactly("$root", "");
        for (String bad : new String[] {"", "Box", "a", "bad--name", "-box", "box/../x", "box/a//b"}) {
            assertFailsWith(ErrorKind.USER_CONFIG, "location '" + bad + "'",
                    () -> AzureBlobStoreProvider.parseLocation(bad));
        }
    }

    @Test
    void credentialsInALocationAreRefusedWithoutBeingRepeated() {
        String secret = java.util.UUID.randomUUID().toString();
        for (String bad : new String[] {"box/pre?sv=2021-08-06&sp=rl&sig=" + secret, "box?sig=" + secret,
            "//devstoreaccount1:" + secret + "@box/pre"}) {
            assertThat(assertFailsWith(ErrorKind.USER_CONFIG, "location with credentials", () -> provider.open(bad,
                    resolve("connectionString", CS)))).hasMessageNotContaining(secret);
        }
        AzureBlobStoreProvider.refuseCredentials("box/what?/and&more"); // '?' and '&' alone are name characters
    }

    @Test
    void theFormStoresPrintNamesTheAccountFirst() {
        try (ObjectStore store = provider.open("//devstoreaccount1/box/pre", resolve("connectionString", CS))) {
            assertThat(store.uri()).isEqualTo("azblob://devstoreaccount1/box/pre");
        }
        MigrationException other = assertFailsWith(ErrorKind.USER_CONFIG, "another account first",
                () -> provider.open("//box/pre", resolve("connectionString", CS)));
        assertThat(other).hasMessage("azblob://box/pre names the account first (as Caravan prints locations), and"
                + " 'box' is not the account of the connection ('devstoreaccount1'): write azblob:box/pre for the"
                + " container 'box', or azblob://devstoreaccount1/CONTAINER");
        assertFailsWith(ErrorKind.USER_CONFIG, "the account alone",
                () -> provider.open("//devstoreaccount1", resolve("connectionString", CS)));
    }

    @Test
    void openingSendsNoRequestAndNamesNoSecret() {
        try (ObjectStore store = provider.open("box/pre", resolve("connectionString", CS))) {
            assertThat(store.uri()).isEqualTo("azblob://devstoreaccount1/box/pre");
            assertThat(store.features().atomicPut()).isTrue();
            assertThat(store.features().keepsModTime()).isTrue();
        }
        try (ObjectStore store = provider.open("box", resolve("account", "myacct", "accountKey", KEY))) {
            assertThat(store.uri()).isEqualTo("azblob://myacct/box").doesNotContain(KEY);
        }
    }

    /**
     * Listings ask for blob index tags only where the credentials say they may read them: an account key, or a SAS
     * with {@code t}. A least-privilege source SAS ({@code sp=rl}) lists as before, without tags.
     */
    @Test
    void listingsAskForTagsOnlyWhereTheCredentialsMayReadThem() {
        String endpoint = "http://127.0.0.1:18010/devstoreaccount1/";
        try (ObjectStore key = provider.open("box", resolve("connectionString", CS));
                ObjectStore withT = provider.open("box", resolve("endpoint", endpoint, "sasToken", "sv=1&sp=rlt&sig=2"));
                ObjectStore withoutT = provider.open("box", resolve("endpoint", endpoint, "sasToken", "sv=1&sp=rl&sig=2"));
                ObjectStore policy = provider.open("box", resolve("endpoint", endpoint, "sasToken", "sv=1&si=p&sig=2"));
                ObjectStore off = provider.open("box", resolve("connectionString", CS, "tags", "false"))) {
            assertThat(key.listsTags()).isTrue();
            assertThat(withT.listsTags()).isTrue();
            assertThat(withoutT.listsTags()).as("a SAS without t").isFalse();
            assertThat(policy.listsTags()).as("a stored access policy does not say").isFalse();
            assertThat(off.listsTags()).isFalse();
        }
    }
}
