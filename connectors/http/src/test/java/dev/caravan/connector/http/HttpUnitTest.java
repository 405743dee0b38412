package dev.caravan.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.config.OptionDef;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.testkit.contract.ContractSupport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Keys and URLs, the bounded sorter, error classification and declared options; no network. */
class HttpUnitTest {
    private final HttpKeys keys = new HttpKeys(URI.create("https://example.com/site/"), false, "index.html");
    private final HttpKeys keeping = new HttpKeys(URI.create("https://example.com/site/"), true, "index.html");

    @Test
    void urlsMapToDecodedKeysAndBack() {
        assertThat(keys.keyOf(URI.create("https://example.com/site/a%20b/c%2Bd+e.txt"))).isEqualTo("a b/c+d+e.txt");
        assertThat(keys.keyOf(URI.create("https://example.com/site/"))).isEqualTo("index.html");
        assertThat(keys.keyOf(URI.create("https://example.com/site/docs/"))).isEqualTo("docs/index.html");
        assertThat(keys.keyOf(URI.create("https://EXAMPLE.com:443/site/x"))).isEqualTo("x");
        assertThat(keys.keyOf(URI.create("https://example.com/site/%C3%A9t%C3%A9"))).isEqualTo("\u00e9t\u00e9");
        for (String outside : List.of("https://example.com/other/x", "http://example.com/site/x",
                "https://example.org/site/x", "https://example.com:8443/site/x", "https://example.com/site/a%2Fb",
                "https://example.com/site/a%00b", "https://example.com/site/%E9", "https://example.com/site/q?x=1",
                "https://example.com/site/a//b")) {
            assertThat(keys.keyOf(URI.create(outside))).as(outside).isNull();
        }
        for (String key : List.of("a b/c+d.txt", "a%20b", "a%2Fb", "\uD83D\uDE00.bin", "~t", "q?x=1", "x:y@z")) {
            URI url = keys.urlOf(key);
            assertThat(keys.keyOf(url)).as("round trip of %s via %s", key, url).isEqualTo(key);
        }
        assertThat(keys.urlOf("a%20b").toString()).isEqualTo("https://example.com/site/a%2520b");
        assertThat(keys.directoryUrlOf("docs/index.html").toString()).isEqualTo("https://example.com/site/docs/");
        assertThat(keys.directoryUrlOf("docs/a.html")).isNull();
    }

    @Test
    void keptQueriesStayAsSent() {
        assertThat(keeping.keyOf(URI.create("https://example.com/site/p?id=7&q=a%20b"))).isEqualTo("p?id=7&q=a%20b");
        assertThat(keeping.urlOf("p?id=7&q=a%20b").toString()).isEqualTo("https://example.com/site/p?id=7&q=a%20b");
        assertThat(keeping.keyOf(URI.create("https://example.com/site/a%3Fb"))).as("literal ? in a path").isNull();
        ContractSupport.assertFailsWith(ErrorKind.USER_DATA, "hostile key", () -> keys.urlOf("../x"));
    }

    @Test
    void sorterSpillsAndMergesWithoutDuplicates() {
        List<String> all = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 2000; i++) {
            all.add("k/" + random.nextInt(700) + (i % 3 == 0 ? "/\u00e9" : ""));
        }
        TreeSet<String> expected = new TreeSet<>(ObjectKeys.ORDER);
        expected.addAll(all);
        try (KeySorter sorter = new KeySorter(50, 10_000)) {
            all.forEach(sorter::add);
            List<String> sorted = new ArrayList<>();
            for (Iterator<String> it = sorter.sorted(); it.hasNext(); ) {
                sorted.add(it.next());
            }
            assertThat(sorted).containsExactlyElementsOf(expected);
        }
        try (KeySorter small = new KeySorter(10, 5)) {
            ContractSupport.assertFailsWith(ErrorKind.USER_CONFIG, "too many URLs", () -> {
                for (int i = 0; i < 10; i++) {
                    small.add("u" + i);
                }
            });
        }
    }

    @Test
    void statusesAreClassifiedByWhatToDo() {
        URI url = URI.create("https://example.com/site/x");
        assertThat(HttpErrors.status(404, url, Optional.empty()).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(HttpErrors.status(410, url, Optional.empty()).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(HttpErrors.status(403, url, Optional.empty()).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(HttpErrors.status(401, url, Optional.empty()).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(HttpErrors.status(400, url, Optional.empty()).kind()).isEqualTo(ErrorKind.USER_DATA);
        assertThat(HttpErrors.status(503, url, Optional.of("7")).retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(HttpErrors.status(429, url, Optional.empty()).kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(HttpErrors.status(500, url, Optional.empty()).getMessage()).contains(url.toString());
    }

    @Test
    void optionsAreDeclaredWithDescriptionsAndTheAuthorizationIsSecret() {
        HttpStoreProvider provider = new HttpStoreProvider();
        assertThat(provider.options().list()).allSatisfy(def -> assertThat(def.description()).hasSizeGreaterThan(30));
        assertThat(provider.options().find("authorization")).map(OptionDef::secret).contains(true);
        assertThat(provider.options().resolve(Map.of("authorization", "Bearer x", "crawlDepth", "1")).masked())
                .containsEntry("authorization", "****");
        assertThat(ServiceLoader.load(StoreProvider.class).stream().map(p -> p.get().scheme()))
                .contains("http", "https");
        ContractSupport.assertFailsWith(ErrorKind.USER_CONFIG, "bad base", () -> provider.open("example.com/x",
                provider.options().resolve(Map.of("crawlDepth", "1"))));
        assertThat(provider.open("//example.com/docs", provider.options().resolve(Map.of("crawlDepth", "1"))).uri())
                .isEqualTo("http://example.com/docs/");
    }

    @Test
    void crawlLinksAreNormalized() {
        assertThat(HttpCrawler.normalize("https://example.com/a b/\u00e9.html#frag").toString())
                .isEqualTo("https://example.com/a%20b/%C3%A9.html");
        assertThat(HttpCrawler.normalize("https://example.com/x/../y.html").toString())
                .isEqualTo("https://example.com/y.html");
        assertThat(HttpCrawler.normalize("mailto:me@example.com")).isNull();
        assertThat(HttpCrawler.normalize("")).isNull();
    }
}
