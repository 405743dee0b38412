package dev.caravan.runtime;

import dev.caravan.api.config.NearestName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.util.StringHelper;

/**
 * Refuses a {@code templatedRoute} that gives a parameter one of Caravan's templates does not declare: Camel ignores
 * such a parameter, so a misspelt {@code verfy: none} or {@code maxDelte: 10} would run with the default, unseen.
 * Templates of the user's own files are left to Camel (they may read an undeclared parameter as a placeholder). The
 * error names the template, the unknown parameters, a likely fix and the parameters it has (USER_CONFIG, before
 * any route is started). Then the {@code source} and {@code target} must be of the kinds the template takes (see
 * {@link TemplateLocationKinds}). Registered for every template as the {@link RouteTemplateDefinition.Converter}
 * that then builds the route as Camel's default one does, marked with the template's id for
 * {@link TemplateParameterNames}. Stateless.
 */
final class TemplateParameterCheck implements RouteTemplateDefinition.Converter {
    private final TemplateLocationKinds kinds;

    TemplateParameterCheck(TemplateLocationKinds kinds) {
        this.kinds = kinds;
    }

    @Override
    public RouteDefinition apply(RouteTemplateDefinition template, Map<String, Object> parameters) throws Exception {
        if (!shipped(template)) { // a template of the user's may use a parameter it does not declare as a placeholder
            return RouteTemplateDefinition.Converter.DEFAULT_CONVERTER.apply(template, parameters);
        }
        Set<String> declared = new TreeSet<>();
        if (template.getTemplateParameters() != null) {
            template.getTemplateParameters().stream().map(RouteTemplateParameterDefinition::getName)
                    .forEach(declared::add);
        }
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(parameters.keySet())) {
            // Camel accepts each parameter in kebab case too (max-delete for maxDelete), and adds that form of each
            String camel = StringHelper.dashToCamelCase(name);
            boolean variant = !camel.equals(name) && parameters.containsKey(camel);
            if (!declared.contains(name) && !declared.contains(camel) && !variant) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            StringBuilder msg = new StringBuilder(unknown.size() == 1 ? "unknown parameter " : "unknown parameters ");
            msg.append(String.join(", ", unknown.stream().map(u -> "'" + u + "'").toList()))
                    .append(" of route template '").append(template.getId()).append("'");
            for (String u : unknown) {
                String near = likely(StringHelper.dashToCamelCase(u), declared);
                if (near != null) {
                    msg.append(" (did you mean '").append(near).append("'?)");
                }
            }
            msg.append("; its parameters: ").append(String.join(", ", declared));
            throw new UnknownParameters(msg.toString(), unknown.get(0));
        }
        kinds.check(template, parameters);
        return RouteTemplateDefinition.Converter.DEFAULT_CONVERTER.apply(template, parameters)
                .routeProperty(TemplateParameterNames.TEMPLATE_PROPERTY, template.getId());
    }

    /**
     * The declared parameter a misspelt or misplaced one likely means: the nearest in spelling, else the side's
     * parameter of a connector option ({@code createBucket}: {@code targetCreateBucket}, {@code endpoint}:
     * {@code sourceEndpoint}); {@code null} when none is likely.
     */
    private static String likely(String name, Set<String> declared) {
        String near = NearestName.of(name, declared);
        if (near != null || name.isEmpty()) {
            return near;
        }
        String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (String side : new String[] {"target", "source"}) {
            if (declared.contains(side + capitalized)) {
                return side + capitalized;
            }
        }
        return null;
    }

    /** Whether the template came with Caravan (from the class path, see {@link TemplateResources}). */
    private static boolean shipped(RouteTemplateDefinition template) {
        Resource resource = template.getResource();
        return resource != null && resource.getLocation() != null
                && resource.getLocation().startsWith("classpath:" + RouteSession.TEMPLATES + "/");
    }

    /** The refusal; {@link RouteErrors} adds the file and line that name {@link #parameter()}. */
    static final class UnknownParameters extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String parameter;

        UnknownParameters(String message, String parameter) {
            super(message);
            this.parameter = parameter;
        }

        /** The first unknown parameter, as the route file spells it. */
        String parameter() {
            return parameter;
        }
    }
}
