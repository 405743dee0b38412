package dev.caravan.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http} hooks against a JDK web server on 127.0.0.1 (what it received: method, path, body, headers; its
 * answer decides the hook) and {@code endpoint} hooks into {@code direct:} routes of the Camel context the run is
 * given; failures roll the cutover back and call the {@code compensate:} hooks.
 */
class HttpAndEndpointHooksTest {
    @TempDir
    Path tmp;
    private HttpServer server;
    private String base;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private CamelContext camel;
    private final List<Exchange> notified = new CopyOnWriteArrayList<>();
    private ApplicationSettings settings;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(x.getRequestMethod() + " " + x.getRequestURI().getPath() + " body=" + body + " type="
                    + x.getRequestHeaders().getFirst("Content-Type") + " token="
                    + x.getRequestHeaders().getFirst("X-Token"));
            queries.add(String.valueOf(x.getRequestURI().getQuery()));
            int status = answers.getOrDefault(x.getRequestURI().getPath(), 200);
            byte[] answer = ("answer to " + x.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, status == 204 ? -1 : answer.length);
            if (status != 204) {
                x.getResponseBody().write(answer);
            }
            x.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:notify").process(e -> notified.add(e.copy())).setBody(constant("notified"));
                from("direct:refuse").throwException(new IllegalStateException("the load balancer said no"));
            }
        });
        camel.start();
        Files.createDirectories(tmp.resolve("old"));
        Files.writeString(tmp.resolve("old/a.txt"), "a file");
        settings = ApplicationSettings.defaults().withWorkDir(tmp.resolve("work")).withCamel(camel)
                .withVariables(Map.of("ENV", tmp.toString(), "WEB", base));
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        camel.close();
    }

    private ApplicationReport run(String cutover) throws IOException {
        Path plan = Files.writeString(tmp.resolve("app.yaml"), """
                application:
                  name: hooks
                  steps:
                    - id: files
                      kind: files
                      from: local:${ENV}/old
                      to: local:${ENV}/new
                """ + cutover);
        return ApplicationMigration.load(plan, settings).run();
    }

    private static final String HTTP_CUTOVER = """
              cutover:
                freeze:
                  - http: ${WEB}/maintenance
                    method: post
                    body: '{"mode": "read-only"}'
                    headers: {Content-Type: application/json, X-Token: s3cret}
                    compensate: {http: "${WEB}/maintenance", method: DELETE, headers: {X-Token: s3cret}}
                switch:
                  - http: ${WEB}/switch
            """;

    @Test
    void httpHooksSendTheDeclaredMethodBodyAndHeadersAndAcceptAny2xx() throws Exception {
        answers.put("/maintenance", 204);

        ApplicationReport report = run(HTTP_CUTOVER);

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.COMPLETE);
        assertThat(requests).containsExactly(
                "POST /maintenance body={\"mode\": \"read-only\"} type=application/json token=s3cret",
                "GET /switch body= type=null token=null");
        assertThat(report.hooks()).extracting(ApplicationReport.HookReport::output)
                .containsExactly("status 204", "status 200: answer to /switch");
        assertThat(report.toText()).doesNotContain("s3cret");
    }

    @Test
    void aNon2xxAnswerFailsTheHookAndTheCompensatingHttpHookIsCalled() throws Exception {
        answers.put("/switch", 503);

        ApplicationReport report = run(HTTP_CUTOVER);

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(report.failedAt()).isEqualTo("switch #1 hook");
        assertThat(report.failure()).contains("status 503 (expected 2xx)", "answer to /switch");
        assertThat(requests).containsExactly(
                "POST /maintenance body={\"mode\": \"read-only\"} type=application/json token=s3cret",
                "GET /switch body= type=null token=null",
                "DELETE /maintenance body= type=null token=s3cret");
        assertThat(report.compensations()).containsExactly("freeze #1 hook: ran http DELETE " + base
                + "/maintenance (expect 2xx)", "step 'files': deleted 1 object(s) this run wrote, restored 0 from "
                + "backup");
        assertThat(tmp.resolve("new/a.txt")).doesNotExist();
    }

    @Test
    void credentialsInAHookUrlReachTheServerButNotThePlanTheReportOrTheRunsFiles() throws Exception {
        String user = base.replace("http://", "http://ops:pw-in-userinfo@");
        String cutover = """
                  cutover:
                    freeze:
                      - http: "%s/maintenance?token=tok-in-query&mode=ro"
                        method: POST
                    switch:
                      - http: "%s/switch?x=1&access_token=tok-in-switch"
                """.formatted(user, base);
        answers.put("/switch", 503);
        Path plan = Files.writeString(tmp.resolve("plan.yaml"), """
                application:
                  name: plan
                  steps:
                    - {id: files, kind: files, from: "local:${ENV}/old", to: "local:${ENV}/new"}
                """ + cutover);

        String dry = ApplicationMigration.load(plan, settings).plan().toText();
        ApplicationReport report = run(cutover);

        assertThat(requests).containsExactly("POST /maintenance body= type=null token=null",
                "GET /switch body= type=null token=null");
        assertThat(queries).containsExactly("token=tok-in-query&mode=ro", "x=1&access_token=tok-in-switch");
        assertThat(dry).contains("http POST http://ops:****@127.0.0.1:", "/maintenance?token=****&mode=ro",
                "/switch?x=1&access_token=****");
        assertThat(report.failure()).contains("/switch?x=1&access_token=**** (expect 2xx)", "status 503");
        for (String shown : List.of(dry, report.toText(), report.toJson(), Files.readString(report.runDir()
                .resolve("report.txt")), Files.readString(report.runDir().resolve("report.json")))) {
            assertThat(shown).doesNotContain("pw-in-userinfo", "tok-in-query", "tok-in-switch");
        }
    }

    @Test
    void anExplicitExpectRefusesOtherSuccessCodes() throws Exception {
        ApplicationReport report = run("""
                  cutover:
                    switch:
                      - {http: "${WEB}/switch", method: PUT, body: go, expect: 201}
                """);

        assertThat(report.outcome()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(report.failure()).contains("status 200 (expected 201)");
        assertThat(requests).containsExactly("PUT /switch body=go type=null token=null");
    }

    @Test
    void endpointHooksSendBodyAndHeadersIntoTheRunsCamelContext() throws Exception {
        ApplicationReport report = run("""
                  cutover:
                    switch:
                      - endpoint: direct:notify
                        body: hooks moved
                        headers: {Channel: ops}
                """);

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.COMPLETE);
        assertThat(notified).singleElement().satisfies(e -> {
            assertThat(e.getMessage().getBody(String.class)).isEqualTo("hooks moved");
            assertThat(e.getMessage().getHeader("Channel")).isEqualTo("ops");
            assertThat(e.getMessage().getHeader("CaravanPhase")).isEqualTo("switch #1");
            assertThat(e.getMessage().getHeader("CARAVAN_APP")).isEqualTo("hooks");
        });
        assertThat(report.hooks()).singleElement().extracting(ApplicationReport.HookReport::output)
                .isEqualTo("notified");
    }

    @Test
    void aFailingEndpointRollsBackAndRunsTheCompensatingEndpoint() throws Exception {
        ApplicationReport report = run("""
                  cutover:
                    freeze:
                      - endpoint: direct:notify
                        body: freeze
                        compensate: {endpoint: direct:notify, body: unfreeze}
                    switch:
                      - endpoint: direct:refuse
                """);

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(report.failedAt()).isEqualTo("switch #1 hook");
        assertThat(report.failure()).contains("the load balancer said no");
        assertThat(notified).extracting(e -> e.getMessage().getBody(String.class))
                .containsExactly("freeze", "unfreeze");
        assertThat(tmp.resolve("new/a.txt")).doesNotExist();
    }
}
