package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.core.engine.EngineSettings;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RouteTemplateInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Kubernetes manifests of docs/kubernetes (docs/scale-out.md): they parse, and they hold together: a Deployment
 * of several {@code caravan serve} replicas, each with its own worker name, on the journal Service of the
 * PostgreSQL StatefulSet, health probes on the metrics port, and a grace period longer than the shutdown timeout.
 */
class KubernetesManifestsTest {
    private static final List<Map<String, Object>> DOCS = new ArrayList<>();

    @TempDir
    static Path home;

    @BeforeAll
    static void load() throws IOException {
        Path dir = DocsGeneratorTest.repoRoot().resolve("docs/kubernetes");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(f))) {
                    if (doc != null) {
                        DOCS.add(map(doc));
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    private static Object at(Map<String, Object> m, String... path) {
        Object cur = m;
        for (String key : path) {
            assertThat(cur).as("parent of %s", key).isInstanceOf(Map.class);
            cur = map(cur).get(key);
            assertThat(cur).as(String.join(".", path)).isNotNull();
        }
        return cur;
    }

    private static Map<String, Object> one(String kind, String name) {
        return DOCS.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in docs/kubernetes"));
    }

    @Test
    void everyManifestHasItsEssentials() {
        assertThat(DOCS).hasSizeGreaterThanOrEqualTo(6);
        for (Map<String, Object> d : DOCS) {
            assertThat(d.get("apiVersion")).as("apiVersion of %s", d.get("kind")).isNotNull();
            assertThat(at(d, "metadata", "name")).isNotNull();
        }
    }

    @Test
    void workersServeTheRoutesOnTheSharedJournalWithHealthProbes() {
        Map<String, Object> deployment = one("Deployment", "caravan");
        assertThat((Integer) at(deployment, "spec", "replicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> labels = map(at(deployment, "spec", "template", "metadata", "labels"));
        assertThat(labels).containsAllEntriesOf(map(at(deployment, "spec", "selector", "matchLabels")));
        Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        List<String> args = list(container.get("args")).stream().map(String::valueOf).toList();
        assertThat(args.get(0)).isEqualTo("serve");
        assertThat(args).containsSequence("--worker", "$(POD_NAME)").containsSequence("--metrics-host", "0.0.0.0");
        String port = args.get(args.indexOf("--metrics-port") + 1);
        String timeout = args.get(args.indexOf("--shutdown-timeout") + 1);
        assertThat((Integer) pod.get("terminationGracePeriodSeconds"))
                .isGreaterThan(Integer.parseInt(timeout.replace("s", "")));

        List<Object> env = list(container.get("env"));
        Map<String, Object> podName = env.stream().map(KubernetesManifestsTest::map)
                .filter(e -> "POD_NAME".equals(e.get("name"))).findFirst().orElseThrow();
        assertThat(at(podName, "valueFrom", "fieldRef", "fieldPath")).isEqualTo("metadata.name");
        Map<String, Object> journal = env.stream().map(KubernetesManifestsTest::map)
                .filter(e -> "CARAVAN_JOURNAL_URL".equals(e.get("name"))).findFirst().orElseThrow();
        String secret = (String) at(journal, "valueFrom", "secretKeyRef", "name");
        String url = (String) at(one("Secret", secret), "stringData", "CARAVAN_JOURNAL_URL");
        assertThat(url).startsWith("jdbc:postgresql://");

        // the journal URL points at the PostgreSQL Service, whose selector matches the database pods
        String host = url.substring("jdbc:postgresql://".length()).split("[:/]")[0];
        Map<String, Object> service = one("Service", host);
        Map<String, Object> db = one("StatefulSet", host);
        assertThat(map(at(db, "spec", "template", "metadata", "labels")))
                .containsAllEntriesOf(map(at(service, "spec", "selector")));
        assertThat(list(at(service, "spec", "ports")).stream().map(KubernetesManifestsTest::map)
                .map(p -> p.get("port"))).contains(5432);

        // probes on /health of the metrics port
        Map<String, Object> metricsPort = list(container.get("ports")).stream().map(KubernetesManifestsTest::map)
                .filter(p -> String.valueOf(p.get("containerPort")).equals(port)).findFirst().orElseThrow();
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertThat(at(container, probe, "httpGet", "path")).isEqualTo("/health");
            assertThat(at(container, probe, "httpGet", "port")).isIn(metricsPort.get("name"), Integer.parseInt(port));
        }

        // every mounted volume is declared; the routes come from the ConfigMap
        List<String> volumes = list(pod.get("volumes")).stream().map(v -> (String) map(v).get("name")).toList();
        for (Object mount : list(container.get("volumeMounts"))) {
            assertThat(volumes).contains((String) map(mount).get("name"));
        }
        Map<String, Object> routesVolume = list(pod.get("volumes")).stream().map(KubernetesManifestsTest::map)
                .filter(v -> v.containsKey("configMap")).findFirst().orElseThrow();
        String configMap = (String) at(routesVolume, "configMap", "name");
        String mountPath = list(container.get("volumeMounts")).stream().map(KubernetesManifestsTest::map)
                .filter(m -> m.get("name").equals(routesVolume.get("name"))).map(m -> (String) m.get("mountPath"))
                .findFirst().orElseThrow();
        String routesFile = args.get(1);
        assertThat(routesFile).startsWith(mountPath + "/");
        assertThat(map(at(one("ConfigMap", configMap), "data")))
                .containsKey(routesFile.substring(mountPath.length() + 1));
    }

    @Test
    void theRoutesOfTheConfigMapUseAKnownTemplateAndItsParameters() {
        String routes = (String) map(at(one("ConfigMap", "caravan-routes"), "data")).get("routes.yaml");
        Map<String, Object> templated = map(at(map(list(new Load(LoadSettings.builder().build())
                .loadFromString(routes)).get(0)), "templatedRoute"));
        try (CaravanRuntime runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(home))) {
            RouteTemplateInfo template = runtime.templates().stream()
                    .filter(t -> t.id().equals(templated.get("routeTemplateRef"))).findFirst().orElseThrow();
            List<String> known = template.parameters().stream().map(RouteTemplateInfo.Parameter::name).toList();
            for (Object p : list(templated.get("parameters"))) {
                assertThat(known).contains((String) map(p).get("name"));
            }
        }
    }
}
