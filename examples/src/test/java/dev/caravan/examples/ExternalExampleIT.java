package dev.caravan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testkit.http.StaticWebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the external example ({@code examples/external/website.yaml}) as its README does, with the example site served
 * on loopback by a real web server (testkit's static server instead of {@code python3 -m http.server}, on a free
 * port written into a copy of the YAML): the crawl mirrors the five files of the site, never the page on another
 * host, and a rerun copies nothing.
 */
class ExternalExampleIT {
    static final Path YAML = Path.of("examples/external/website.yaml");
    static final Path SITE = Path.of("examples/external/site");

    @TempDir
    Path tmp;

    @Test
    void theCrawlMirrorsTheSiteAndARerunCopiesNothing() throws IOException {
        Path out = tmp.resolve("out");
        try (StaticWebServer server = new StaticWebServer(SITE)) {
            Path yaml = Files.writeString(tmp.resolve("website.yaml"), Files.readString(YAML)
                    .replace("http://127.0.0.1:8000/", server.url(""))
                    .replace("local:examples/external/out", "local:" + out));
            QuickstartIT runner = new QuickstartIT();
            runner.home = tmp.resolve("home");

            QuickstartIT.Result run = runner.caravan("run", yaml.toString());

            assertThat(run.code()).as(run.toString()).isZero();
            assertThat(QuickstartIT.files(out)).isEqualTo(List.of("guide/backup.html", "guide/install.html",
                    "img/logo.svg", "index.html", "style.css"));
            for (String f : QuickstartIT.files(out)) {
                assertThat(Files.mismatch(SITE.resolve(f), out.resolve(f))).as(f).isEqualTo(-1L);
            }

            QuickstartIT.Result again = runner.caravan("run", yaml.toString());

            assertThat(again.code()).as(again.toString()).isZero();
            assertThat(again.out()).as(again.toString()).contains("copied    0 objects");
        }
    }
}
