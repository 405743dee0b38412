package dev.caravan.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;

/**
 * Refuses a location of the wrong kind given to a template whose {@code source} or {@code target} takes the locations
 * of one connector: an {@code azblob:} source to {@code cloud-s3-to-azure} would otherwise fail on the connector
 * options the template passes ("unknown option 'accessKeyId' for connector azblob"), which does not say what is
 * wrong. A template declares the kind in the parameter's description, which begins {@code Source as SCHEME:} or
 * {@code Target as SCHEME:}; parameters described otherwise (any store, or several connectors) are not checked. The
 * error names the parameter, the kind it takes, the location given (secrets masked) and the template whose source
 * and target take the given kinds, if one does. Stateless.
 */
final class TemplateLocationKinds {
    private static final List<String> SIDES = List.of("source", "target");
    private static final Pattern DECLARED = Pattern.compile("^(?:Source|Target) as ([a-z][a-z0-9+.-]*):");
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");

    private final Supplier<List<RouteTemplateDefinition>> templates;
    private final Function<String, String> resolve;

    /**
     * @param templates every template of the context (for the one to suggest instead)
     * @param resolve   a parameter value with its property placeholders resolved, or {@code null} if they cannot be
     */
    TemplateLocationKinds(Supplier<List<RouteTemplateDefinition>> templates, Function<String, String> resolve) {
        this.templates = templates;
        this.resolve = resolve;
    }

    /** Throws {@link WrongKind} when {@code source} or {@code target} is not of the kind the template declares. */
    void check(RouteTemplateDefinition template, Map<String, Object> parameters) {
        for (String side : SIDES) {
            String declared = declared(template, side);
            Object value = parameters.get(side);
            String given = value == null ? null : resolve.apply(value.toString());
            if (declared == null || given == null || declared.equals(scheme(given))) {
                continue;
            }
            StringBuilder msg = new StringBuilder("the ").append(side).append(" of route template '")
                    .append(template.getId()).append("' must be an ").append(declared).append(": location, got ")
                    .append(Uris.masked(given));
            String source = scheme(given(parameters, "source"));
            String target = scheme(given(parameters, "target"));
            String instead = instead(source, target);
            if (instead != null) {
                msg.append("; for ").append(source).append(": -> ").append(target).append(": use route template '")
                        .append(instead).append("'");
            }
            throw new WrongKind(msg.toString(), value.toString());
        }
    }

    private String given(Map<String, Object> parameters, String side) {
        Object v = parameters.get(side);
        return v == null ? null : resolve.apply(v.toString());
    }

    /** The template whose source and target take these kinds, or {@code null}. */
    private String instead(String source, String target) {
        if (source == null || target == null) {
            return null;
        }
        return templates.get().stream()
                .filter(t -> source.equals(declared(t, "source")) && target.equals(declared(t, "target")))
                .map(RouteTemplateDefinition::getId).sorted().findFirst().orElse(null);
    }

    /** The scheme the template's {@code side} parameter takes, or {@code null} when it does not name one. */
    static String declared(RouteTemplateDefinition template, String side) {
        if (template.getTemplateParameters() == null) {
            return null;
        }
        for (RouteTemplateParameterDefinition p : template.getTemplateParameters()) {
            if (side.equals(p.getName()) && p.getDescription() != null) {
                Matcher m = DECLARED.matcher(p.getDescription());
                return m.find() ? m.group(1) : null;
            }
        }
        return null;
    }

    /** The scheme of a location in lower case, {@code ""} when it has none, {@code null} for no location. */
    private static String scheme(String location) {
        if (location == null) {
            return null;
        }
        Matcher m = SCHEME.matcher(location.trim());
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
    }

    /** The refusal; {@link RouteErrors} adds the file and line of {@link #location()}. */
    static final class WrongKind extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String location;

        WrongKind(String message, String location) {
            super(message);
            this.location = Objects.requireNonNull(location);
        }

        /** The location of the wrong kind, as the route file spells it. */
        String location() {
            return location;
        }
    }
}
