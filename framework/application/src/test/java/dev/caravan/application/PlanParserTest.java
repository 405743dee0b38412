package dev.caravan.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.application.model.ApplicationSpec;
import dev.caravan.application.model.Hook;
import dev.caravan.application.model.Phase;
import dev.caravan.application.model.PlanParser;
import dev.caravan.application.model.Step;
import dev.caravan.application.model.Substitution;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plan files: what is read, and bad input refused with file:line:column and what is allowed. */
class PlanParserTest {
    private static final Path FILE = Path.of("app.yaml");
    private final PlanParser parser = new PlanParser(Map.of("ENV", "/srv"));

    private ApplicationSpec parse(String yaml) {
        return parser.parse(yaml, FILE);
    }

    private static String steps(String more) {
        return """
                application:
                  name: shop
                  steps:
                    - id: db
                      kind: database
                      from: jdbc:sqlite:${ENV}/old.db
                      to: jdbc:sqlite:${ENV}/new.db
                """ + more;
    }

    private MigrationException refused(String yaml) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> parse(yaml));
        assertThat(t).isInstanceOf(MigrationException.class);
        MigrationException e = (MigrationException) t;
        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        return e;
    }

    @Test
    void readsStepsInDependencyOrderWithHooksAndVariables() {
        ApplicationSpec spec = parse("""
                application:
                  name: shop
                  steps:
                    - id: config
                      kind: config
                      after: [files, db]
                      from: local:${ENV}/old
                      to: local:${ENV:-x}/new
                      files: [app.properties]
                      substitutions:
                        - find: old.db
                          replace: new.db
                    - id: files
                      kind: files
                      after: [db]
                      from: local:${MISSING:-/tmp}/a
                      to: local:/b
                      mode: sync
                    - id: db
                      kind: database
                      from: jdbc:sqlite:/a.db
                      to: jdbc:sqlite:/b.db
                      incremental: {column: updated_at, mode: updated-at}
                      hooks:
                        post: [{sql: "ANALYZE", url: "jdbc:sqlite:/b.db"}]
                  hooks:
                    warm: {pre: [{endpoint: "log:warm"}]}
                  cutover:
                    freeze:
                      - http: http://127.0.0.1:8080/admin/maintenance
                        method: post
                        expect: 204
                        compensate: {http: "http://127.0.0.1:8080/admin/live", method: POST, expect: 204}
                    switch: {shell: "ln -sfn new current", timeout: 10s}
                """);

        assertThat(spec.steps()).extracting(Step::id).containsExactly("db", "files", "config");
        assertThat(((Step.Config) spec.steps().get(2)).from()).isEqualTo("local:/srv/old");
        assertThat(((Step.Config) spec.steps().get(2)).to()).isEqualTo("local:/srv/new");
        assertThat(((Step.Files) spec.steps().get(1)).from()).isEqualTo("local:/tmp/a");
        assertThat(((Step.Database) spec.steps().get(0)).incrementalMode()).isEqualTo("updated-at");
        assertThat(spec.hooks(Phase.WARM).pre().get(0).kind()).isEqualTo(Hook.Kind.ENDPOINT);
        Hook freeze = spec.cutover().freeze().get(0);
        assertThat(freeze.method()).isEqualTo("POST");
        assertThat(freeze.expect()).isEqualTo(204);
        assertThat(freeze.compensate().run()).endsWith("/admin/live");
        assertThat(spec.cutover().switchover().get(0).timeout()).hasSeconds(10);
        assertThat(freeze.location()).startsWith("app.yaml:30:9");
    }

    @Test
    void aCycleIsRefusedNamingItsSteps() {
        MigrationException e = refused(steps("""
                      after: [files]
                    - id: files
                      kind: files
                      after: [db]
                      from: local:/a
                      to: local:/b
                """));
        assertThat(e).hasMessageStartingWith("app.yaml:4:").hasMessageContaining("cycle: db -> files -> db");
    }

    @Test
    void anUnknownDependencyIsRefused() {
        assertThat(refused(steps("      after: [uploads]\n")))
                .hasMessage("app.yaml:8:14: step 'db' runs after unknown step 'uploads'; steps: [db]");
    }

    @Test
    void anUnknownStepKindListsTheKinds() {
        assertThat(refused(steps("    - id: mail\n      kind: mailbox\n")))
                .hasMessage("app.yaml:9:13: unknown step kind 'mailbox'; allowed: [config, database, files, vm]");
    }

    @Test
    void anUnknownKeyListsTheAllowedOnes() {
        assertThat(refused(steps("      tables: [users]\n"))).hasMessageStartingWith("app.yaml:8:7: unknown key "
                + "'tables' in database step 'db'; allowed: [id, kind, after, hooks, from, to, fromOptions, toOptions,"
                + " include, exclude, incremental, verify, parallelism]");
    }

    @Test
    void aMissingFieldIsNamed() {
        assertThat(refused("""
                application:
                  name: shop
                  steps:
                    - id: up
                      kind: files
                      from: local:/a
                """)).hasMessage("app.yaml:4:7: files step 'up' is missing the required key 'to'");
    }

    private static String config(String regex, String replace) {
        return """
                application:
                  name: shop
                  steps:
                    - id: cfg
                      kind: config
                      from: local:/srv/old
                      to: local:/srv/new
                      files: [app.properties]
                      substitutions:
                        - regex: '%s'
                          replace: '%s'
                """.formatted(regex, replace);
    }

    @Test
    void aRegexReplacementJavaWouldRejectOrReadDifferentlyIsRefusedAtItsLine() {
        assertThat(refused(config("^db\\.password=.*$", "db.password=pa$$w0rd")))
                .hasMessageStartingWith("app.yaml:11:20: a regex substitution's replace is not valid")
                .hasMessageContaining("$1..$0 or ${name} insert a group", "write \\$ for a dollar sign")
                .hasMessageNotContaining("w0rd");
        assertThat(refused(config("^price=(\\d+)$", "price=$2 USD")))
                .hasMessageContaining("No group 2", "$1..$1");
        assertThat(refused(config("^dir=.*$", "dir=C:\\data")))
                .hasMessageStartingWith("app.yaml:11:20: a regex substitution's replace has a backslash "
                        + "(character 7) that escapes neither $ nor \\");
        Substitution ok = ((Step.Config) parse(config("^price=(\\d+)$", "price=$1 \\$ and \\\\"))
                .steps().get(0)).substitutions().get(0);
        assertThat(ok.regex().matcher("price=10").replaceAll(ok.replace())).isEqualTo("price=10 $ and \\");
    }

    @Test
    void badHooksAndValuesAreRefused() {
        assertThat(refused(steps("  cutover:\n    freeze: [{shell: a, sql: b}]\n")))
                .hasMessageContaining("app.yaml:9:14: a hook has exactly one of [shell, sql, http, endpoint]");
        assertThat(refused(steps("  cutover:\n    freeze: [{sql: 'UPDATE x'}]\n")))
                .hasMessageContaining("a sql hook is missing the required key 'url'");
        assertThat(refused(steps("      verify: none\n")))
                .hasMessage("app.yaml:8:15: 'verify' must be one of [digest, count], got 'none'");
        assertThat(refused(steps("  cutover:\n    freeze: [{shell: a, timeout: soon}]\n")))
                .hasMessageContaining("a duration is a number with ms, s, m or h");
        assertThat(refused(steps("  cutover:\n    freeze: [{shell: a, headers: {X: y}}]\n")))
                .hasMessageContaining("'headers' applies to http and endpoint hooks only");
        assertThat(refused(steps("  cutover:\n    freeze: [{http: 'http://h/x', expect: 2}]\n")))
                .hasMessageContaining("an http hook's 'expect' is an HTTP status (100-599), got 2");
        assertThat(parse(steps("  cutover:\n    freeze: [{http: 'http://h/x', headers: {X-Token: t}}]\n")).cutover()
                .freeze().get(0)).satisfies(h -> {
                    assertThat(h.headers()).containsExactly(Map.entry("X-Token", "t"));
                    assertThat(h.describe()).isEqualTo("http GET http://h/x (expect 2xx)");
                });
        assertThat(refused(steps("").replace("${ENV}", "${NOPE_NOT_SET_ANYWHERE}")))
                .hasMessageStartingWith("app.yaml:6:13: variable ${NOPE_NOT_SET_ANYWHERE} is not set");
    }

    @Test
    void brokenYamlAndOtherFilesAreRefused() {
        assertThat(refused("application:\n  name: [unclosed\n")).hasMessageStartingWith("app.yaml:").hasMessageContaining(
                "not valid YAML");
        assertThat(refused("- route:\n    from: {uri: timer:x}\n"))
                .hasMessageStartingWith("app.yaml:1:1: an application plan is a mapping with one key 'application'");
        assertThatThrownBy(() -> parse(steps("    - id: db\n      kind: files\n      from: a\n      to: b\n")))
                .hasMessageContaining("step id 'db' is used twice (first at app.yaml:4:7)");
    }
}
