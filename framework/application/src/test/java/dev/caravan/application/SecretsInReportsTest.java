package dev.caravan.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets given to hooks through variables reach the hooks, but never the report, the plan or the run's files; the
 * run's state and rollback snapshots (which hold what the target had, e.g. a config file's previous content) are
 * readable by their owner only.
 */
class SecretsInReportsTest {
    private static final String SECRET = "s3cr3t-v4lue";

    @TempDir
    Path tmp;

    @Test
    void aHookUsesTheSecretAndTheReportShowsItsVariableName() throws Exception {
        Files.createDirectories(tmp.resolve("old"));
        Files.writeString(tmp.resolve("old/a.txt"), "a file");
        Path plan = Files.writeString(tmp.resolve("app.yaml"), """
                application:
                  name: secrets
                  steps:
                    - {id: files, kind: files, from: "local:${ENV}/old", to: "local:${ENV}/new"}
                  cutover:
                    freeze:
                      - shell: 'printf %s "${LB_TOKEN}" > ${ENV}/token-seen-by-hook'
                    switch:
                      - shell: 'echo "calling the balancer at ${ENV}"; curl -s -H "Authorization: Bearer ${LB_TOKEN}" http://127.0.0.1:9/ || exit 4'
                """);
        ApplicationSettings settings = ApplicationSettings.defaults().withWorkDir(tmp.resolve("work"))
                .withVariables(Map.of("ENV", tmp.toString(), "LB_TOKEN", SECRET));

        ApplicationPlan dry = ApplicationMigration.load(plan, settings).plan();
        ApplicationReport report = ApplicationMigration.load(plan, settings).run();

        assertThat(tmp.resolve("token-seen-by-hook")).as(report.toText()).hasContent(SECRET);
        assertThat(report.failedAt()).isEqualTo("switch #1 hook");
        assertThat(report.toText()).contains("Bearer ${LB_TOKEN}", "calling the balancer at " + tmp)
                .doesNotContain(SECRET);
        assertThat(report.toJson()).doesNotContain(SECRET);
        assertThat(dry.toText()).contains("${LB_TOKEN}").doesNotContain(SECRET);
        // the rollback snapshot of a step holds what the target had: its owner only may read it
        assertThat(Files.getPosixFilePermissions(report.runDir().resolve("rollback/files.json")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.walk(report.runDir())) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("journal")).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(SECRET);
            }
        }
    }

    @Test
    void backupsOfTargetFilesAreInDirectoriesOnlyTheirOwnerCanEnterAndARollbackRestoresTheirMode() throws Exception {
        Files.createDirectories(tmp.resolve("old/conf"));
        Files.writeString(tmp.resolve("old/conf/app.properties"), "db.password=source\n");
        Path target = Files.createDirectories(tmp.resolve("new/conf")).resolve("app.properties");
        Files.writeString(target, "db.password=" + SECRET + "\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        Path plan = Files.writeString(tmp.resolve("app.yaml"), """
                application:
                  name: backups
                  steps:
                    - {id: files, kind: files, from: "local:${ENV}/old", to: "local:${ENV}/new"}
                  cutover:
                    switch:
                      - shell: 'exit 3'
                """);

        ApplicationReport report = ApplicationMigration.load(plan, ApplicationSettings.defaults()
                .withWorkDir(tmp.resolve("work")).withVariables(Map.of("ENV", tmp.toString()))).run();

        assertThat(report.steps().get(0).phases().get("warm")).as(report.toText()).containsEntry("backedUp", 1L);
        Path backup = report.runDir().resolve("backup");
        for (Path dir : List.of(backup, backup.resolve("files"), backup.resolve("files/conf"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as(dir.toString())
                    .isEqualTo("rwx------");
        }
        assertThat(backup.resolve("files/conf/app.properties")).hasContent("db.password=" + SECRET);
        assertThat(target).hasContent("db.password=" + SECRET);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
    }

    @Test
    void valuesThatLookLikeSecretsAreHiddenWhateverTheirVariableIsCalled() throws Exception {
        Files.createDirectories(tmp.resolve("old"));
        Files.writeString(tmp.resolve("old/app.properties"), "db.password=old-pw-value\n");
        String key = FakeSecrets.privateKey("OPENSSH", "b3BlbnNzaC1rZXktdjEAAAAA");
        Path plan = Files.writeString(tmp.resolve("app.yaml"), """
                application:
                  name: looks
                  steps:
                    - id: config
                      kind: config
                      from: "local:${ENV}/old"
                      to: "local:${ENV}/new"
                      files: [app.properties]
                      substitutions:
                        - {find: 'db.password=old-pw-value', replace: 'db.password=${NEW_DB_PW}'}
                  cutover:
                    freeze:
                      - shell: 'printf "%s" "${DEPLOY_ID}" | wc -c; echo "header ${LB_HEADER}"'
                    switch:
                      - shell: 'curl -s -H "Authorization: Bearer literal-bearer-value" http://127.0.0.1:9/ || exit 4'
                """);
        ApplicationSettings settings = ApplicationSettings.defaults().withWorkDir(tmp.resolve("work"))
                .withVariables(Map.of("ENV", tmp.toString(), "DEPLOY_ID", key, "LB_HEADER", "Bearer hdr-value",
                        "NEW_DB_PW", "new-pw-value"));

        String dry = ApplicationMigration.load(plan, settings).plan().toText();
        ApplicationReport report = ApplicationMigration.load(plan, settings).run();

        assertThat(report.failedAt()).as(report.toText()).isEqualTo("switch #1 hook");
        assertThat(dry).contains("substitution #1 'db.password=****': 1 match(es)",
                "shell 'printf \"%s\" \"${DEPLOY_ID}\" | wc -c; echo \"header ${LB_HEADER}\"'",
                "Authorization: Bearer ****");
        for (String shown : List.of(dry, report.toText(), report.toJson())) {
            assertThat(shown).doesNotContain("b3BlbnNzaC1rZXktdjEAAAAA", "hdr-value", "literal-bearer-value",
                    "old-pw-value", "new-pw-value");
        }
    }
}
