package dev.caravan.runtime;

import java.util.List;

/**
 * A route template found on the class path, as {@code caravan run} and the docs describe it.
 *
 * @param id          template id, e.g. {@code logical-files}
 * @param description what it migrates, or {@code null}
 * @param location    where it was loaded from, e.g. {@code classpath:caravan/routes/logical/files.yaml}
 * @param parameters  its parameters in declaration order
 */
public record RouteTemplateInfo(String id, String description, String location, List<Parameter> parameters) {
    public RouteTemplateInfo {
        parameters = List.copyOf(parameters);
    }

    /**
     * One template parameter.
     *
     * @param name         name, used as {@code {{name}}} in the template
     * @param description  what it means
     * @param defaultValue default, or {@code null} when it has none
     * @param required     whether an instantiation must give it (required and without a default)
     */
    public record Parameter(String name, String description, String defaultValue, boolean required) {
    }
}
