package dev.caravan.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentTypesTest {

    @Test
    void theExtensionOfTheLastSegmentImpliesTheTypeWhateverItsCase() {
        assertThat(ContentTypes.guess("site/index.html")).isEqualTo("text/html");
        assertThat(ContentTypes.guess("site/CSS/Main.CSS")).isEqualTo("text/css");
        assertThat(ContentTypes.guess("data/a.b.JSON")).isEqualTo("application/json");
        assertThat(ContentTypes.guess("img/logo.png")).isEqualTo("image/png");
        assertThat(ContentTypes.guess("report.pdf")).isEqualTo("application/pdf");
        assertThat(ContentTypes.guess("t.csv")).isEqualTo("text/csv");
    }

    @Test
    void webTypesTheJdkLacksComeFromTheSupplement() {
        assertThat(ContentTypes.guess("fonts/a.woff2")).isEqualTo("font/woff2");
        assertThat(ContentTypes.guess("app.mjs")).isEqualTo("text/javascript");
        assertThat(ContentTypes.guess("favicon.ico")).isEqualTo("image/vnd.microsoft.icon");
        assertThat(ContentTypes.guess("m.wasm")).isEqualTo("application/wasm");
        assertThat(ContentTypes.guess("k8s/deploy.yml")).isEqualTo("application/yaml");
    }

    @Test
    void namesWithoutAKnownExtensionImplyNothing() {
        assertThat(ContentTypes.guess("README")).isNull();
        assertThat(ContentTypes.guess("v1.2/README")).isNull(); // the dot of a directory is not an extension
        assertThat(ContentTypes.guess("home/.profile")).isNull();
        assertThat(ContentTypes.guess("trailing.")).isNull();
        assertThat(ContentTypes.guess("x.unknownext")).isNull();
        assertThat(ContentTypes.guess("odd.ht ml")).isNull();
        assertThat(ContentTypes.guess("odd.html#frag")).isNull();
        assertThat(ContentTypes.guess(null)).isNull();
    }
}
