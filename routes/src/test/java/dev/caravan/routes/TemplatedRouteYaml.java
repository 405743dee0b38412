package dev.caravan.routes;

import java.util.List;

/** The YAML of a routes file with one templated route, for the tests that run the route templates. */
final class TemplatedRouteYaml {
    private TemplatedRouteYaml() {
    }

    /**
     * One {@code templatedRoute} of {@code templateId} named {@code routeId}, with the {@code source} and
     * {@code target} parameters and then {@code more} parameters as name/value pairs (each value quoted).
     */
    static String of(String templateId, String routeId, String source, String target, List<String> more) {
        StringBuilder yaml = new StringBuilder("""
                - templatedRoute:
                    routeTemplateRef: %s
                    routeId: %s
                    parameters:
                      - name: source
                        value: "%s"
                      - name: target
                        value: "%s"
                """.formatted(templateId, routeId, source, target));
        for (int i = 0; i + 1 < more.size(); i += 2) {
            yaml.append("      - name: ").append(more.get(i)).append("\n        value: \"").append(more.get(i + 1))
                    .append("\"\n");
        }
        return yaml.toString();
    }
}
