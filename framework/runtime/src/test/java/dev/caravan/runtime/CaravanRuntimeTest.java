package dev.caravan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaravanRuntimeTest {
    /** The template of the caravan-routes module (not a dependency here: routes tests depend on this module). */
    static final Path LOGICAL_FILES = Path.of("../../routes/src/main/resources/caravan/routes/logical/files.yaml");

    @TempDir
    Path tmp;
    private Path source;
    private Path target;
    private CaravanRuntime runtime;

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(tmp.resolve("data"));
        target = Files.createDirectories(tmp.resolve("backup"));
        Files.writeString(Files.createDirectories(source.resolve("reports/2024")).resolve("q1.csv"), "a,b\n1,2\n");
        Files.write(source.resolve("blob.bin"), new byte[] {0, 7, (byte) 200, 13, 10});
        Files.writeString(source.resolve("with space+plus.txt"), "odd name");
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(tmp.resolve("home")));
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    private Path yaml(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private Path templatedRoute(String templateId, String source, String target) throws IOException {
        return yaml("run.yaml", """
                - templatedRoute:
                    routeTemplateRef: %s
                    routeId: nightly-copy
                    parameters:
                      - name: source
                        value: "%s"
                      - name: target
                        value: "%s"
                """.formatted(templateId, source, target));
    }

    /** A sync of the source onto the target, which holds two objects more than its maxDelete=1 allows to delete. */
    private Path guardedSync() throws IOException {
        Files.writeString(target.resolve("only-on-target-1.txt"), "1");
        Files.writeString(target.resolve("only-on-target-2.txt"), "2");
        return yaml("guarded.yaml", """
                - route:
                    id: guarded
                    from:
                      uri: "timer:guarded?repeatCount=1"
                      steps:
                        - to: "caravan:migrate?source=local:%s&target=local:%s&mode=sync&maxDelete=1"
                """.formatted(source, target));
    }

    private static String failure(Runnable r) {
        try {
            r.run();
        } catch (MigrationException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.USER_CONFIG);
            return e.getMessage();
        }
        throw new AssertionError("no MigrationException");
    }

    @Test
    void templatedRouteCopiesFilesByteForByte() throws IOException {
        Path run = templatedRoute("logical-files", "local:" + source, "local:" + target);

        RoutesRun result = runtime.runRoutes(List.of(LOGICAL_FILES, run), ProgressListener.NONE);

        assertThat(result.errors()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.results()).hasSize(1);
        assertThat(result.results().get(0).outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(result.results().get(0).name()).isEqualTo("nightly-copy");
        for (String file : List.of("reports/2024/q1.csv", "blob.bin", "with space+plus.txt")) {
            assertThat(Files.readAllBytes(target.resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(source.resolve(file)));
        }
    }

    @Test
    void objectConsumerRoutesRunOnceAndFinish() throws IOException {
        Path routes = yaml("objects.yaml", """
                - route:
                    id: per-object
                    from:
                      uri: "caravan-objects:local:%s?target=local:%s&once=true"
                      steps:
                        - to: "caravan-objects:local:%s?operation=copy"
                """.formatted(source, target, source));

        RoutesRun result = runtime.runRoutes(List.of(routes), ProgressListener.NONE);

        assertThat(result.errors()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.results()).isEmpty();
        assertThat(Files.readAllBytes(target.resolve("reports/2024/q1.csv")))
                .isEqualTo(Files.readAllBytes(source.resolve("reports/2024/q1.csv")));
        assertThat(Files.readString(target.resolve("with space+plus.txt"))).isEqualTo("odd name");
    }

    @Test
    void planRoutesPlansWithoutWriting() throws IOException {
        Path run = templatedRoute("logical-files", "local:" + source, "local:" + target);

        PlanOutcome plan = runtime.planRoutes(List.of(LOGICAL_FILES, run));

        assertThat(plan.errors()).isEmpty();
        assertThat(plan.exitCode()).isZero();
        assertThat(plan.plans()).hasSize(1);
        assertThat(plan.plans().get(0).summary().copyCount()).isEqualTo(3);
        assertThat(plan.plans().get(0).spec().name()).isEqualTo("nightly-copy");
        try (var files = Files.list(target)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aMigrationThatFailsAfterItStartedGivesExitCodeOne() throws IOException {
        // a file where the source has a folder: the copies below it fail once the run has started
        Files.writeString(target.resolve("reports"), "in the way");
        Path run = templatedRoute("logical-files", "local:" + source, "local:" + target);

        RoutesRun result = runtime.runRoutes(List.of(LOGICAL_FILES, run), ProgressListener.NONE);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.badInput()).isEmpty();
        assertThat(Files.readString(target.resolve("with space+plus.txt"))).isEqualTo("odd name");
    }

    @Test
    void badInputFoundInsideARouteBeforeAnythingIsWrittenGivesExitCodeTwo() throws IOException {
        Path run = templatedRoute("logical-files", "local:" + tmp.resolve("missing"), "local:" + target);

        RoutesRun result = runtime.runRoutes(List.of(LOGICAL_FILES, run), ProgressListener.NONE);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.results()).isEmpty();
        assertThat(result.errors()).singleElement().asString().startsWith("route 'nightly-copy': ")
                .contains("does not exist");
        assertThat(result.badInput()).isEqualTo(result.errors());
    }

    @Test
    void aMaxDeleteGuardIsBadInputAndAFailedRunBesideItIsNot() throws IOException {
        Path guarded = guardedSync();

        RoutesRun refused = runtime.runRoutes(List.of(guarded), ProgressListener.NONE);

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errors()).singleElement().asString().contains("more than maxDelete=1 allows");
        assertThat(target.resolve("blob.bin")).doesNotExist();

        Path failing = yaml("failing.yaml", """
                - route:
                    id: failing
                    from:
                      uri: "timer:failing?repeatCount=1"
                      steps:
                        - to: "caravan:migrate?source=local:%s&target=local:%s"
                        - throwException:
                            exceptionType: "java.lang.IllegalStateException"
                            message: "a step after the migration failed"
                """.formatted(source, tmp.resolve("other")));

        RoutesRun both = runtime.runRoutes(List.of(guarded, failing), ProgressListener.NONE);

        assertThat(both.exitCode()).isEqualTo(1);
        assertThat(both.errors()).hasSize(2);
        assertThat(both.badInput()).singleElement().asString().startsWith("route 'guarded': ");
    }

    /** Exit code 2 promises that nothing was written: not so when another migration of the files copied. */
    @Test
    void badInputBesideAMigrationThatCopiedIsNotExitCodeTwo() throws IOException {
        Path guarded = guardedSync();
        Path copying = yaml("copying.yaml", """
                - route:
                    id: copying
                    from:
                      uri: "timer:copying?repeatCount=1"
                      steps:
                        - to: "caravan:migrate?source=local:%s&target=local:%s"
                """.formatted(source, tmp.resolve("copy")));

        RoutesRun run = runtime.runRoutes(List.of(copying, guarded), ProgressListener.NONE);

        assertThat(run.badInput()).singleElement().asString().startsWith("route 'guarded': ");
        assertThat(run.results()).singleElement().satisfies(r -> assertThat(r.copied()).isPositive());
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void aOneShotConsumerThatCannotListItsSourceIsBadInput() throws IOException {
        Path routes = yaml("objects.yaml", """
                - route:
                    id: per-object
                    from:
                      uri: "caravan-objects:local:%s?target=local:%s&once=true"
                      steps:
                        - to: "caravan-objects:local:%s?operation=copy"
                """.formatted(tmp.resolve("missing"), target, tmp.resolve("missing")));

        RoutesRun result = runtime.runRoutes(List.of(routes), ProgressListener.NONE);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errors()).singleElement().asString().startsWith("route 'per-object': ")
                .contains("does not exist");
    }

    @Test
    void planningBadInputGivesExitCodeTwo() throws IOException {
        Path run = templatedRoute("logical-files", "local:" + tmp.resolve("missing"), "local:" + target);

        PlanOutcome plan = runtime.planRoutes(List.of(LOGICAL_FILES, run));

        assertThat(plan.exitCode()).isEqualTo(2);
        assertThat(plan.badInput()).isEqualTo(plan.errors()).hasSize(1);

        Path guarded = guardedSync();
        PlanOutcome refused = runtime.planRoutes(List.of(guarded));
        assertThat(refused.errors()).isEmpty();
        assertThat(refused.plans()).singleElement().satisfies(p -> assertThat(p.runnable()).isFalse());
        assertThat(refused.exitCode()).isEqualTo(2);
    }

    @Test
    void malformedYamlNamesFileLineAndColumn() throws IOException {
        Path bad = yaml("bad.yaml", """
                - route:
                    from:
                      uri: "timer:x?repeatCount=1"
                      steps:
                        - log: "hi"
                  - bad: [
                """);
        String msg = failure(() -> runtime.runRoutes(List.of(bad), ProgressListener.NONE));
        assertThat(msg).startsWith(bad + ":6:3: expected <block end>, but found '-'")
                .contains("(while parsing a block mapping at line 1, column 3)");
    }

    @Test
    void aSyntaxErrorOnALineHoldingASecretDoesNotPrintIt() throws IOException {
        Path bad = yaml("secret.yaml", """
                - templatedRoute:
                    routeTemplateRef: logical-files
                    parameters:
                      - { name: source, value: "local:/a" }
                      - { name: secretAccessKey, value: "SUPERSECRET123" }}
                """);
        String msg = failure(() -> runtime.planRoutes(List.of(bad)));
        assertThat(msg).startsWith(bad + ":5:").doesNotContain("SUPERSECRET123")
                .contains("(the line is not shown: it may hold a secret)");
    }

    @Test
    void anUnsetEnvironmentVariableAndAMissingParameterAreNamedWithTheirLine() throws IOException {
        Path env = yaml("env.yaml", """
                - templatedRoute:
                    routeTemplateRef: logical-files
                    routeId: from-env
                    parameters:
                      - name: source
                        value: "{{env:CARAVAN_TEST_SURELY_UNSET}}"
                      - name: target
                        value: "local:/b"
                """);
        String unset = failure(() -> runtime.planRoutes(List.of(LOGICAL_FILES, env)));
        assertThat(unset).isEqualTo(env + ":6: the environment variable CARAVAN_TEST_SURELY_UNSET is not set (the route"
                + " file reads {{env:CARAVAN_TEST_SURELY_UNSET}}): set it, or give a default,"
                + " {{env:CARAVAN_TEST_SURELY_UNSET:DEFAULT}}");

        Path missing = yaml("missing.yaml", """
                - templatedRoute:
                    routeTemplateRef: logical-files
                    routeId: no-source
                    parameters:
                      - name: target
                        value: "local:/b"
                """);
        String msg = failure(() -> runtime.planRoutes(List.of(LOGICAL_FILES, missing)));
        assertThat(msg).isEqualTo(missing + ":2: route template 'logical-files' needs the parameter"
                + " source (add - { name: source, value: ... } to its parameters)");
    }

    @Test
    void twoRoutesWithOneIdAreRefusedNamingBoth() throws IOException {
        Path first = templatedRoute("logical-files", "local:" + source, "local:" + target);
        Path second = yaml("second.yaml", """
                - route:
                    id: other
                    from:
                      uri: "timer:x?repeatCount=1"
                      steps:
                        - log: "hi"
                - templatedRoute:
                    routeTemplateRef: logical-files
                    routeId: nightly-copy
                    parameters:
                      - { name: source, value: "local:/a" }
                      - { name: target, value: "local:/b" }
                """);
        String msg = failure(() -> runtime.planRoutes(List.of(LOGICAL_FILES, first, second)));
        assertThat(msg).isEqualTo(second + ":9: route id 'nightly-copy' is used already at " + first + ":3; give each"
                + " route an id of its own (of two routes with one id only the last would run)");
        assertThat(target).isEmptyDirectory();
    }

    @Test
    void unknownDslNodeNamesFileLineAndColumn() throws IOException {
        Path bad = yaml("node.yaml", """
                - route:
                    id: r1
                    from:
                      uri: "timer:x?repeatCount=1"
                      steps:
                        - lag: "hi"
                """);
        String msg = failure(() -> runtime.planRoutes(List.of(bad)));
        assertThat(msg).startsWith(bad + ":6:11: Unknown node id: lag");
    }

    @Test
    void unknownTemplateListsKnownTemplates() throws IOException {
        Path run = templatedRoute("logical-filez", "local:" + source, "local:" + target);
        String msg = failure(() -> runtime.runRoutes(List.of(LOGICAL_FILES, run), ProgressListener.NONE));
        assertThat(msg).isEqualTo(run + ":2: unknown route template 'logical-filez' (known templates: logical-files)");
    }

    @Test
    void aTemplateOfTheUsersOwnMayReadAParameterItDoesNotDeclare() throws IOException {
        // Caravan's templates refuse undeclared parameters (routes' RouteTemplatesTest); one of the user's files is
        // left to Camel, where a given parameter is also a placeholder the template may use without declaring it
        Path template = yaml("mine.yaml", """
                - routeTemplate:
                    id: my-copy
                    parameters:
                      - name: source
                    from:
                      uri: "timer:once?repeatCount=1"
                      steps:
                        - to: "caravan:migrate?source=RAW({{source}})&target=RAW({{where}})"
                """);
        Path run = yaml("use.yaml", """
                - templatedRoute:
                    routeTemplateRef: my-copy
                    routeId: mine
                    parameters:
                      - name: source
                        value: "local:%s"
                      - name: where
                        value: "local:%s"
                """.formatted(source, target));

        RoutesRun result = runtime.runRoutes(List.of(template, run), ProgressListener.NONE);

        assertThat(result.errors()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(target.resolve("blob.bin")).exists();
    }

    @Test
    void unknownEndpointOptionAndConnectorAreUserErrors() throws IOException {
        Path option = yaml("option.yaml", """
                - route:
                    id: typo
                    from:
                      uri: "timer:x?repeatCount=1"
                      steps:
                        - to: "caravan:migrate?source=local:%s&target=local:%s&maxDelet=3"
                """.formatted(source, target));
        assertThat(failure(() -> runtime.runRoutes(List.of(option), ProgressListener.NONE)))
                .startsWith("route 'typo' in " + option)
                .contains("unknown option 'maxDelet' for caravan: (did you mean 'maxDelete'?); known options: ");

        Path connector = yaml("connector.yaml", """
                - route:
                    id: nope
                    from:
                      uri: "timer:x?repeatCount=1"
                      steps:
                        - to: "caravan:migrate?source=nope:/x&target=local:%s"
                """.formatted(target));
        assertThat(failure(() -> runtime.planRoutes(List.of(connector))))
                .contains("source 'nope:/x': unknown connector 'nope' (known connectors: ").contains("local");

        Path camelOption = yaml("camel-option.yaml", """
                - route:
                    id: timer-typo
                    from:
                      uri: "timer:x?repeatCount=1&perod=5"
                      steps:
                        - log: "hi"
                """);
        assertThat(failure(() -> runtime.runRoutes(List.of(camelOption), ProgressListener.NONE)))
                .startsWith("route 'timer-typo' in " + camelOption + ": Failed to resolve endpoint: ")
                .contains("Unknown parameters=[{perod=5}]");
    }

    @Test
    void aMalformedEndpointUriIsShownWithItsSecretsMasked() throws IOException {
        String secret = "s" + UUID.randomUUID();
        String accountKey = "k" + UUID.randomUUID();
        String unknown = "u" + UUID.randomUUID();
        Path trailing = yaml("trailing.yaml", """
                - route:
                    id: leaky
                    from:
                      uri: "timer:x?repeatCount=1"
                      steps:
                        - to: "caravan:migrate?source=local:%s&target=local:%s&source.secretAccessKey=RAW(%s)&target.connectionString=RAW(AccountName=a;AccountKey=%s;)&"
                """.formatted(source, target, secret, accountKey));
        assertThat(failure(() -> runtime.runRoutes(List.of(trailing), ProgressListener.NONE)))
                .startsWith("route 'leaky' in " + trailing).contains("Trailing & marker")
                .doesNotContain(secret).doesNotContain(accountKey);

        Path camelOption = yaml("camel-secret.yaml", """
                - route:
                    id: timer-secret
                    from:
                      uri: "timer:x?repeatCount=1&clientSecret=%s"
                      steps:
                        - log: "hi"
                """.formatted(unknown));
        assertThat(failure(() -> runtime.runRoutes(List.of(camelOption), ProgressListener.NONE)))
                .contains("Unknown parameters").contains("clientSecret").doesNotContain(unknown);
    }

    @Test
    void routesThatNeverEndAreRefused() throws IOException {
        Path forever = yaml("forever.yaml", """
                - route:
                    id: every-second
                    from:
                      uri: "timer:tick?period=1000"
                      steps:
                        - log: "tick"
                """);
        assertThat(failure(() -> runtime.runRoutes(List.of(forever), ProgressListener.NONE)))
                .contains("route 'every-second' starts from timer://tick?period=1000, which repeats forever");

        Path library = yaml("library.yaml", """
                - route:
                    id: called
                    from:
                      uri: "direct:called"
                      steps:
                        - log: "hi"
                """);
        assertThat(failure(() -> runtime.runRoutes(List.of(library), ProgressListener.NONE)))
                .contains("none of the routes starts by itself");
    }

    @Test
    void missingFilesAreUserErrors() {
        assertThat(failure(() -> runtime.runRoutes(List.of(tmp.resolve("nope.yaml")), ProgressListener.NONE)))
                .endsWith("nope.yaml: route file not found or not readable");
        assertThat(failure(() -> runtime.planRoutes(List.of(tmp.resolve("routes.xml")))))
                .endsWith("routes.xml: not a YAML route file (.yaml or .yml expected)");
        assertThatThrownBy(() -> runtime.runRoutes(List.of(), ProgressListener.NONE))
                .hasMessage("no route files given");
    }
}
