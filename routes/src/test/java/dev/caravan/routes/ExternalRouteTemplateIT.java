package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RoutesRun;
import dev.caravan.testkit.http.StaticWebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code external-website} template against a real web server on loopback (testkit's static server: GET,
 * HEAD, Last-Modified, ETag, ranges, a generated sitemap.xml): the files its sitemap lists arrive byte for byte
 * under their URL paths, a rerun copies nothing, and a crawl of depth 1 takes the base page and what it links to.
 */
class ExternalRouteTemplateIT {
    @TempDir
    Path tmp;
    private Path site;
    private StaticWebServer server;
    private CaravanRuntime runtime;

    @BeforeEach
    void setUp() throws IOException {
        site = Files.createDirectories(tmp.resolve("site"));
        Files.createDirectories(site.resolve("docs/img"));
        Files.writeString(site.resolve("docs/index.html"),
                "<html><body><a href=\"guide.html\">guide</a> <img src=\"img/logo.svg\"></body></html>");
        Files.writeString(site.resolve("docs/guide.html"), "<html><body>the guide, page one</body></html>");
        Files.writeString(site.resolve("docs/img/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        Files.writeString(site.resolve("docs/notes.txt"), "not linked from any page");
        server = new StaticWebServer(site);
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")));
    }

    @AfterEach
    void tearDown() {
        runtime.close();
        server.close();
    }

    private RoutesRun run(Path target, String sourceOption, String value) throws IOException {
        Path routes = Files.writeString(tmp.resolve("routes.yaml"), """
                - templatedRoute:
                    routeTemplateRef: external-website
                    routeId: site
                    parameters:
                      - name: source
                        value: "%s"
                      - name: target
                        value: "local:%s"
                      - name: %s
                        value: "%s"
                """.formatted(server.url("docs/"), target, sourceOption, value));
        return runtime.runRoutes(List.of(routes), ProgressListener.NONE);
    }

    @Test
    void theFilesOfTheSitemapArriveVerifiedAndARerunCopiesNothing() throws IOException {
        Path target = tmp.resolve("mirror");

        RoutesRun first = run(target, "sitemap", "sitemap.xml");

        assertThat(first.errors()).isEmpty();
        assertThat(first.exitCode()).isZero();
        for (String file : List.of("index.html", "guide.html", "img/logo.svg", "notes.txt")) {
            assertThat(target.resolve(file)).as(file).hasSameBinaryContentAs(site.resolve("docs").resolve(file));
        }
        RunResult copied = first.results().get(0);
        assertThat(copied.copied()).isEqualTo(4);

        RoutesRun again = run(target, "sitemap", "sitemap.xml");

        assertThat(again.exitCode()).isZero();
        assertThat(again.results().get(0).copied()).as("a rerun copies nothing").isZero();
    }

    @Test
    void aCrawlOfDepthOneTakesTheBasePageAndWhatItLinksTo() throws IOException {
        Path target = tmp.resolve("crawl");

        RoutesRun run = run(target, "crawlDepth", "1");

        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(target.resolve("index.html")).exists();
        assertThat(target.resolve("guide.html")).hasSameBinaryContentAs(site.resolve("docs/guide.html"));
        assertThat(target.resolve("img/logo.svg")).exists();
        assertThat(target.resolve("notes.txt")).as("linked from nowhere").doesNotExist();
    }
}
