package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RouteTemplateInfo;
import dev.caravan.runtime.RoutesRun;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every route template of this module: documented, defaulted, and able to migrate real files. */
class RouteTemplatesTest {
    /** The parameters a user must always give; every other one has a default. */
    private static final Set<String> REQUIRED = Set.of("source", "target");
    /**
     * Templates that move something other than files between local directories, and so cannot run in
     * {@link #templateMigratesFilesByteForByte}: they are run against real servers by their own *IT, and here only
     * loaded and checked for documentation. The rule: a template whose location contains one of these folders.
     * {@code vm/}: virtual machines between two libvirt hosts ({@code VmRouteTemplatesIT}).
     */
    private static final Set<String> RUN_BY_THEIR_OWN_IT = Set.of("caravan/routes/vm/",
            // object stores in the cloud: CloudRouteTemplatesIT (S3Proxy and Azurite)
            "caravan/routes/cloud/", "caravan/routes/internal/",
            // tables and record files: RecordRouteTemplatesTest (SQLite/H2/local) and RecordRouteTemplatesIT (PostgreSQL)
            "caravan/routes/data/", "caravan/routes/logical/tables.yaml", "caravan/routes/logical/database.yaml",
            // a whole application plan (database, files, config, hooks): ApplicationRouteTemplateTest
            "caravan/routes/application/",
            // a web site over HTTP into a store: ExternalRouteTemplateIT (a static web server on loopback)
            "caravan/routes/external/");
    /** Required parameters of the templates whose units are not files (every other parameter is defaulted). */
    private static final Map<String, Set<String>> REQUIRED_BY_TEMPLATE = Map.of(
            "vm-live", Set.of("source", "target", "domain"),
            "vm-cold", Set.of("source", "target", "domain"),
            "vm-storage", Set.of("source", "domain"),
            "vm-drain", Set.of("source", "target"),
            "application-cutover", Set.of());

    @TempDir
    static Path home;
    private static CaravanRuntime runtime;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(home));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    static List<String> templateIds() {
        return runtime().templates().stream()
                .filter(t -> RUN_BY_THEIR_OWN_IT.stream().noneMatch(f -> String.valueOf(t.location()).contains(f)))
                .map(RouteTemplateInfo::id).toList();
    }

    private static CaravanRuntime runtime() {
        if (runtime == null) {
            open();
        }
        return runtime;
    }

    @Test
    void everyTemplateFileLoadsAsATemplate() throws IOException, URISyntaxException {
        URL root = getClass().getClassLoader().getResource("caravan/routes");
        assertThat(root).isNotNull();
        long files;
        try (Stream<Path> walk = Files.walk(Path.of(root.toURI()))) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).count();
        }
        List<RouteTemplateInfo> templates = runtime().templates();
        assertThat(templates).extracting(RouteTemplateInfo::id).contains("logical-files", "physical-files");
        assertThat((long) templates.size()).isEqualTo(files);
    }

    @Test
    void everyParameterIsDescribedAndDefaulted() {
        for (RouteTemplateInfo template : runtime().templates()) {
            Set<String> required = REQUIRED_BY_TEMPLATE.getOrDefault(template.id(), REQUIRED);
            assertThat(template.description()).as(template.id() + " description").isNotBlank();
            assertThat(template.location()).as(template.id()).contains("caravan/routes/");
            assertThat(template.parameters()).extracting(RouteTemplateInfo.Parameter::name)
                    .as(template.id()).containsAll(required);
            for (RouteTemplateInfo.Parameter p : template.parameters()) {
                String what = template.id() + "." + p.name();
                assertThat(p.description()).as(what + " description").isNotBlank();
                if (required.contains(p.name())) {
                    assertThat(p.required()).as(what + " required").isTrue();
                    assertThat(p.defaultValue()).as(what + " default").isNull();
                } else {
                    assertThat(p.defaultValue()).as(what + " default").isNotNull();
                    assertThat(p.required()).as(what + " required").isFalse(); // defaulted: never demanded
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("templateIds")
    void templateMigratesFilesByteForByte(String templateId) throws IOException {
        Path source = sampleTree(tmp.resolve("source"));
        Path target = Files.createDirectories(tmp.resolve("target"));
        Path routes = Files.writeString(tmp.resolve("routes.yaml"), """
                - templatedRoute:
                    routeTemplateRef: %s
                    routeId: test-%s
                    parameters:
                      - name: source
                        value: "local:%s"
                      - name: target
                        value: "local:%s"
                """.formatted(templateId, templateId, source, target));

        RoutesRun run = runtime().runRoutes(List.of(routes), ProgressListener.NONE);

        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.results()).hasSize(1);
        assertSameTree(source, target);
    }

    static List<String> templatesWithFilterFiles() {
        List<String> ids = templateIds().stream().filter(id -> runtime().templates().stream()
                .anyMatch(t -> t.id().equals(id) && t.parameters().stream().anyMatch(p -> p.name().equals("include"))
                        && !String.valueOf(t.location()).contains("caravan/routes/data/")
                        && !id.startsWith("logical-database") && !id.startsWith("logical-tables"))).toList();
        assertThat(ids).contains("logical-files", "physical-files", "scheduled-files");
        return ids;
    }

    /**
     * Every template that takes include/exclude for caravan:migrate takes the filter files too, also those run by
     * their own ITs (cloud, internal).
     */
    @Test
    void everyTemplateOfCaravanMigrateTakesTheFilterFiles() throws IOException, URISyntaxException {
        URL root = getClass().getClassLoader().getResource("caravan/routes");
        List<Path> migrating;
        try (Stream<Path> walk = Files.walk(Path.of(root.toURI()))) {
            migrating = walk.filter(p -> p.toString().endsWith(".yaml")).filter(p -> {
                try {
                    String text = Files.readString(p);
                    return text.contains("caravan:migrate?") && text.contains("- name: include\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(migrating).hasSizeGreaterThanOrEqualTo(7);
        for (Path p : migrating) {
            assertThat(Files.readString(p)).as(p.toString()).contains("- name: includeFrom", "- name: excludeFrom",
                    "- name: filesFrom", "&includeFrom=RAW({{?includeFrom}})&excludeFrom=RAW({{?excludeFrom}})"
                            + "&filesFrom=RAW({{?filesFrom}})");
        }
    }

    @ParameterizedTest
    @MethodSource("templatesWithFilterFiles")
    void filterFilesReachTheMigrationOfEveryObjectTemplate(String templateId) throws IOException {
        Path source = sampleTree(tmp.resolve("source"));
        Path target = tmp.resolve("target");
        Path list = Files.writeString(tmp.resolve("list.txt"), "# wanted\r\n/docs/2024/report.csv\r\n"
                + "docs/readme.txt\r\nimage.bin\r\nnot/there\r\n");
        Path excludes = Files.writeString(tmp.resolve("exclude.txt"), "*.bin\n");
        Path routes = Files.writeString(tmp.resolve("routes.yaml"), """
                - templatedRoute:
                    routeTemplateRef: %s
                    routeId: files-from-%s
                    parameters:
                      - name: source
                        value: "local:%s"
                      - name: target
                        value: "local:%s"
                      - name: filesFrom
                        value: "%s"
                      - name: excludeFrom
                        value: "%s"
                """.formatted(templateId, templateId, source, target, list, excludes));

        RoutesRun run = runtime().runRoutes(List.of(routes), ProgressListener.NONE);

        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        try (Stream<Path> walk = Files.walk(target)) {
            assertThat(walk.filter(Files::isRegularFile).map(f -> target.relativize(f).toString()).sorted())
                    .containsExactly("docs/2024/report.csv", "docs/readme.txt");
        }
        assertThat(Files.readString(target.resolve("docs/2024/report.csv"))).isEqualTo("id,value\n1,42\n");
    }

    @Test
    void aFilesFromListThatCannotBeReadStopsTheRouteBeforeAnythingIsWritten() throws IOException {
        Path source = sampleTree(tmp.resolve("source"));
        Path hostile = Files.writeString(tmp.resolve("list.txt"), "docs/readme.txt\n../../etc/passwd\n");
        Path routes = Files.writeString(tmp.resolve("routes.yaml"), """
                - templatedRoute:
                    routeTemplateRef: logical-files
                    routeId: hostile-list
                    parameters:
                      - name: source
                        value: "local:%s"
                      - name: target
                        value: "local:%s"
                      - name: filesFrom
                        value: "%s"
                """.formatted(source, tmp.resolve("target"), hostile));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runtime().runRoutes(List.of(routes),
                ProgressListener.NONE)).hasMessageContaining("filesFrom '" + hostile + "' line 2");
        assertThat(tmp.resolve("target")).as("refused before anything was written").doesNotExist();
    }

    @Test
    void aCutoffModeReachesTheMigrationWithItsMaxDurationAndIsRefusedWithoutOne() throws IOException {
        Path source = sampleTree(tmp.resolve("source"));
        String routes = """
                - templatedRoute:
                    routeTemplateRef: logical-files
                    routeId: cutoff-%s
                    parameters:
                      - name: source
                        value: "local:%s"
                      - name: target
                        value: "local:%s"
                      - name: cutoffMode
                        value: cautious
                %s""";

        RoutesRun within = runtime().runRoutes(List.of(Files.writeString(tmp.resolve("within.yaml"), routes.formatted(
                "within", source, tmp.resolve("within"), "      - name: maxDuration\n        value: 1h\n"))),
                ProgressListener.NONE);
        Path alone = Files.writeString(tmp.resolve("alone.yaml"), routes.formatted("alone", source,
                tmp.resolve("alone"), ""));

        assertThat(within.errors()).isEmpty();
        assertThat(within.exitCode()).isZero();
        assertSameTree(source, tmp.resolve("within"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runtime().runRoutes(List.of(alone),
                ProgressListener.NONE)).hasMessageContaining("route 'cutoff-alone'")
                .hasMessageContaining("set a max duration too");
        assertThat(tmp.resolve("alone")).as("refused before anything was written").doesNotExist();
    }

    /** The templates run here that keep what they replace: every file template declares backupDir. */
    static List<String> templatesWithABackupDir() {
        return runtime().templates().stream().filter(t -> templateIds().contains(t.id()))
                .filter(t -> t.parameters().stream().anyMatch(p -> p.name().equals("backupDir")))
                .map(RouteTemplateInfo::id).toList();
    }

    @ParameterizedTest
    @MethodSource("templatesWithABackupDir")
    void aTemplatePassesItsBackupDirToTheMigration(String templateId) throws IOException {
        Path source = sampleTree(tmp.resolve("source"));
        Path target = Files.createDirectories(tmp.resolve("target/docs"));
        String old = writeOldReadme(target);
        Path backup = tmp.resolve("backup");
        Path routes = backupRoute("routes.yaml", templateId, "backup-" + templateId, source, target.getParent(),
                backup, "suffix", ".old", "suffixKeepExtension", "true");

        RoutesRun run = runtime().runRoutes(List.of(routes), ProgressListener.NONE);

        assertThat(run.errors()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertSameTree(source, target.getParent());
        assertThat(Files.readString(backup.resolve("docs/readme.old.txt"))).isEqualTo(old);
        try (Stream<Path> kept = Files.walk(backup)) {
            assertThat(kept.filter(Files::isRegularFile).count()).as("only the overwritten file").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("templatesWithABackupDir")
    void aTemplatePassesItsBackupOptionsToTheBackupDirsConnector(String templateId) throws IOException {
        Path source = sampleTree(tmp.resolve("source"));
        Path target = Files.createDirectories(tmp.resolve("target/docs"));
        String old = writeOldReadme(target);
        // the local connector's createRoot=false: a backup dir that does not exist is not created, so nothing is kept
        // and the original stays; with createRoot=true (and another option after ';') it is kept
        Path missing = tmp.resolve("missing/backup");
        RoutesRun refused = runtime().runRoutes(List.of(backupRoute("refused.yaml", templateId,
                "backup-options-" + templateId + "-refused", source, target.getParent(), missing, "backupOptions",
                "createRoot=false")), ProgressListener.NONE);

        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(Files.readString(target.resolve("readme.txt"))).as("the original stays").isEqualTo(old);
        assertThat(missing).doesNotExist();

        Path backup = tmp.resolve("backup");
        RoutesRun kept = runtime().runRoutes(List.of(backupRoute("kept.yaml", templateId,
                "backup-options-" + templateId + "-kept", source, target.getParent(), backup, "backupOptions",
                "createRoot=true;fsync=true")), ProgressListener.NONE);

        assertThat(kept.errors()).isEmpty();
        assertThat(kept.exitCode()).isZero();
        assertThat(Files.readString(backup.resolve("docs/readme.txt"))).isEqualTo(old);
        assertSameTree(source, target.getParent());
    }

    /**
     * A connector's option given to a template that names it per side (createBucket for targetCreateBucket, as the
     * error of a missing bucket says "createBucket=true creates it") got no suggestion: too far in spelling.
     */
    @Test
    void aConnectorOptionGivenToATemplateSuggestsTheSidesParameter() throws IOException {
        Path routes = Files.writeString(tmp.resolve("side.yaml"), """
                - templatedRoute:
                    routeTemplateRef: cloud-azure-to-s3
                    routeId: side
                    parameters:
                      - { name: source, value: "azblob:photos" }
                      - { name: target, value: "s3:photos" }
                      - { name: createBucket, value: "true" }
                      - { name: endpoint, value: "http://127.0.0.1:1" }
                """);
        MigrationException e = catchThrowableOfType(MigrationException.class,
                () -> runtime().runRoutes(List.of(routes), ProgressListener.NONE));
        assertThat(e.getMessage()).contains("unknown parameters 'createBucket', 'endpoint' of route template"
                + " 'cloud-azure-to-s3' (did you mean 'targetCreateBucket'?) (did you mean 'targetEndpoint'?)");
    }

    @Test
    void aParameterTheTemplateDoesNotDeclareIsRefusedWithFileLineAndTheLikelyOne() throws IOException {
        Path source = sampleTree(tmp.resolve("source"));
        Path target = Files.createDirectories(tmp.resolve("target"));
        Path routes = Files.writeString(tmp.resolve("typo.yaml"), """
                - templatedRoute:
                    routeTemplateRef: logical-files
                    routeId: typo
                    parameters:
                      - name: source
                        value: "local:%s"
                      - name: target
                        value: "local:%s"
                      - name: verfy
                        value: none
                """.formatted(source, target));

        MigrationException e = catchThrowableOfType(MigrationException.class,
                () -> runtime().runRoutes(List.of(routes), ProgressListener.NONE));

        assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(e.getMessage()).startsWith(routes + ":9: unknown parameter 'verfy' of route template "
                + "'logical-files' (did you mean 'verify'?); its parameters: ").contains("source, ", "target, ");
        assertThat(target).isEmptyDirectory();
        // Camel's kebab-case spelling of a declared parameter is not unknown
        Path kebab = Files.writeString(tmp.resolve("kebab.yaml"), Files.readString(routes).replace("verfy",
                "max-delete").replace("none", "5"));
        assertThat(runtime().runRoutes(List.of(kebab), ProgressListener.NONE).exitCode()).isZero();
        assertSameTree(source, target);
    }

    @Test
    void templatesCanBeInstantiatedFromJava() throws Exception {
        Path source = sampleTree(tmp.resolve("in"));
        Path target = Files.createDirectories(tmp.resolve("out"));
        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("engine", runtime().engine());
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    ResourceHelper.resolveResource(context, "classpath:caravan/routes/logical/files.yaml"));
            context.addRouteFromTemplate("java-copy", "logical-files",
                    Map.of("source", "local:" + source, "target", "local:" + target, "mode", "sync"));
            NotifyBuilder done = new NotifyBuilder(context).fromRoute("java-copy").whenCompleted(1).create();
            context.start();
            assertThat(done.matches(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertSameTree(source, target);
    }

    /** Writes an old {@code readme.txt} (other text than the sample tree's) into {@code docs}; returns its text. */
    private static String writeOldReadme(Path docs) throws IOException {
        String old = "old readme " + java.util.UUID.randomUUID() + "\n";
        Files.writeString(docs.resolve("readme.txt"), old);
        return old;
    }

    /**
     * Writes {@code file}: one route of {@code templateId} from local {@code source} to local {@code target} that keeps
     * what it replaces in local {@code backupDir}, with more parameters as name/value pairs.
     */
    private Path backupRoute(String file, String templateId, String routeId, Path source, Path target,
            Path backupDir, String... more) throws IOException {
        List<String> parameters = new ArrayList<>(List.of("backupDir", "local:" + backupDir));
        parameters.addAll(List.of(more));
        String yaml = TemplatedRouteYaml.of(templateId, routeId, "local:" + source, "local:" + target, parameters);
        return Files.writeString(tmp.resolve(file), yaml);
    }

    private static Path sampleTree(Path root) throws IOException {
        Files.createDirectories(root.resolve("docs/2024"));
        Files.writeString(root.resolve("docs/2024/report.csv"), "id,value\n1,42\n");
        Files.writeString(root.resolve("docs/readme.txt"), "hello\n");
        byte[] blob = new byte[200_000];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) (i * 31 + 7);
        }
        Files.write(root.resolve("image.bin"), blob);
        Files.write(root.resolve("empty"), new byte[0]);
        return root;
    }

    private static void assertSameTree(Path source, Path target) throws IOException {
        List<Path> expected;
        try (Stream<Path> walk = Files.walk(source)) {
            expected = walk.filter(Files::isRegularFile).map(source::relativize).sorted().toList();
        }
        List<Path> actual;
        try (Stream<Path> walk = Files.walk(target)) {
            actual = walk.filter(Files::isRegularFile).map(target::relativize).sorted().toList();
        }
        assertThat(actual).isEqualTo(expected);
        for (Path p : expected) {
            assertThat(Files.readAllBytes(target.resolve(p))).as(p.toString())
                    .isEqualTo(Files.readAllBytes(source.resolve(p)));
        }
    }
}
