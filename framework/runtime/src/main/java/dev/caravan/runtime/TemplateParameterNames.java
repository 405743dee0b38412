package dev.caravan.runtime;

import dev.caravan.api.error.MigrationException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.PropertyDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;

/**
 * Says a connector option a message tells to set ({@code createBucket=true}: "for a target, createBucket=true creates
 * it") as the parameter of the template the route was made from ({@code targetCreateBucket}), which is all a template
 * user can give. The parameter of an option is read from the template's endpoint URIs ({@code
 * target.createBucket={{targetCreateBucket}}}). An option named alone in camel case ("check accessKeyId", "set
 * connectionString") is said as its parameter ({@code targetAccessKeyId}); single lower-case words ("endpoint") are
 * left, as they are also plain prose, unless the message calls them options ("check the endpoint option", "the
 * endpoint and region options": "the template parameter targetEndpoint"). Options in a URI ({@code ?endpoint=...}) and options whose parameter has the
 * same name are left as they are, and so is every message of a route not made from one of Caravan's templates.
 * Stateless.
 */
final class TemplateParameterNames {
    /** The route property that holds the id of the template a route was made from (set by the check). */
    static final String TEMPLATE_PROPERTY = "caravan.template";
    private static final Pattern MAPPED = Pattern.compile(
            "(?:^|[?&])(source|target)\\.(\\w+)=(?:RAW\\()?\\{\\{\\??(\\w+)\\}\\}");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w.&?=])(\\w+)=([\\w.-]+)");
    /** A camel-case word standing alone (not a value, not part of a dotted or assigned name). */
    private static final Pattern NAMED = Pattern.compile("(?<![\\w.&?=])([a-z]+[A-Z]\\w*)(?![\\w.=])");
    /** Options a message calls so: "the endpoint option", "the endpoint and region options". */
    private static final Pattern CALLED = Pattern.compile("\\bthe (\\w+)(?: and (\\w+))? options?\\b");

    private final Supplier<CamelContext> context;

    TemplateParameterNames(Supplier<CamelContext> context) {
        this.context = context;
    }

    /** {@code failure} with its message in the template's parameters, or {@code failure} when that changes nothing. */
    MigrationException inRoute(String routeId, MigrationException failure) {
        String said = inRoute(routeId, failure.getMessage());
        return said.equals(failure.getMessage()) ? failure : new MigrationException(failure.kind(), said, failure);
    }

    /** {@code message} of route {@code routeId} with the connector options it names said as template parameters. */
    String inRoute(String routeId, String message) {
        Map<String, Set<String>> parameters = parameters(routeId);
        if (message == null || parameters.isEmpty()) {
            return message;
        }
        String called = called(message, parameters);
        String assigned = replace(OPTION, called, parameters, m -> "the template parameter "
                + String.join(" or ", parameters.get(m.group(1)).stream().map(n -> n + "=" + m.group(2)).toList()));
        return replace(NAMED, assigned, parameters, m -> String.join(" or ", parameters.get(m.group(1))));
    }

    /** {@code message} with the options it calls so said as parameters, where the template has one for each. */
    private static String called(String message, Map<String, Set<String>> parameters) {
        Matcher m = CALLED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String[] options = m.group(2) == null ? new String[] {m.group(1)} : new String[] {m.group(1), m.group(2)};
            boolean mapped = true;
            for (String option : options) {
                Set<String> names = parameters.get(option);
                mapped &= names != null && !names.contains(option);
            }
            String text = m.group();
            if (mapped) {
                text = (options.length == 1 ? "the template parameter " : "the template parameters ") + String.join(
                        " and ", Arrays.stream(options).map(o -> String.join(" or ", parameters.get(o)))
                                .toList());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        return m.appendTail(out).toString();
    }

    /** {@code message} with each match of {@code pattern} whose option has other parameter names said by {@code said}. */
    private static String replace(Pattern pattern, String message, Map<String, Set<String>> parameters,
            Function<Matcher, String> said) {
        Matcher m = pattern.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Set<String> names = parameters.get(m.group(1));
            String text = names == null || names.contains(m.group(1)) ? m.group() : said.apply(m);
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        return m.appendTail(out).toString();
    }

    /** The template parameters of each connector option, for a route made from a template; else empty. */
    private Map<String, Set<String>> parameters(String routeId) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (routeId == null || !(context.get() instanceof ModelCamelContext model)) {
            return out;
        }
        RouteDefinition route = model.getRouteDefinition(routeId);
        String templateId = route == null || route.getRouteProperties() == null ? null
                : route.getRouteProperties().stream().filter(p -> TEMPLATE_PROPERTY.equals(p.getKey()))
                        .map(PropertyDefinition::getValue).findFirst().orElse(null);
        RouteTemplateDefinition template = templateId == null ? null : model.getRouteTemplateDefinition(templateId);
        if (template == null || template.getRoute() == null) {
            return out;
        }
        for (var step : template.getRoute().getOutputs()) {
            if (step instanceof EndpointRequiredDefinition to && to.getEndpointUri() != null) {
                Matcher m = MAPPED.matcher(to.getEndpointUri());
                while (m.find()) {
                    out.computeIfAbsent(m.group(2), k -> new LinkedHashSet<>()).add(m.group(3));
                }
            }
        }
        return out;
    }
}
