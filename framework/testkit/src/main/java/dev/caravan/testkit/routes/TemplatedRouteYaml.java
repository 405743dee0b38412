package dev.caravan.testkit.routes;

/**
 * The Camel YAML of one {@code templatedRoute} for tests: {@code of("scheduled-files", "nightly", "source",
 * "local:/a", "target", "local:/b", "interval", "1h")}. Values are written double-quoted, as given (tests pass plain
 * locations and options, no quotes or backslashes).
 */
public final class TemplatedRouteYaml {
    private TemplatedRouteYaml() {
    }

    /**
     * @param template   the route template ({@code routeTemplateRef})
     * @param routeId    the id of the route it makes
     * @param parameters names and values, alternately
     */
    public static String of(String template, String routeId, String... parameters) {
        if (parameters.length % 2 != 0) {
            throw new IllegalArgumentException("parameters come as names and values: " + parameters.length);
        }
        StringBuilder yaml = new StringBuilder("- templatedRoute:\n    routeTemplateRef: " + template
                + "\n    routeId: " + routeId + "\n    parameters:\n");
        for (int i = 0; i < parameters.length; i += 2) {
            yaml.append("      - name: ").append(parameters[i]).append("\n        value: \"").append(parameters[i + 1])
                    .append("\"\n");
        }
        return yaml.toString();
    }

    /** As {@link #of}, with the parameters {@code source} and {@code target} first, then {@code more}. */
    public static String ofLocations(String template, String routeId, String source, String target, String... more) {
        String[] all = new String[more.length + 4];
        all[0] = "source";
        all[1] = source;
        all[2] = "target";
        all[3] = target;
        System.arraycopy(more, 0, all, 4, more.length);
        return of(template, routeId, all);
    }
}
