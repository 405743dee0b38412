package dev.caravan.runtime;

import dev.caravan.api.config.MaskedUris;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToCreateRouteFromTemplateException;
import org.apache.camel.NoSuchBeanException;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.ResolveEndpointFailedException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Translates what Camel throws while loading and creating routes into one {@link MigrationException} a user can
 * act on: YAML problems as {@code file:line:column: problem} (1-based), unknown template ids with the known ids,
 * endpoint problems with the route and Camel's message. Configuration problems are USER_CONFIG; anything else is
 * FATAL.
 */
final class RouteErrors {
    private static final Pattern ROUTE_SOURCE = Pattern.compile("\\(source: ([^)]+)\\)");
    private static final Pattern UNKNOWN_TEMPLATE = Pattern.compile("Cannot find RouteTemplate with id (\\S+)");
    private static final Pattern ENV_UNSET = Pattern.compile(
            "Property with key \\[env:([^\\]:]+)\\] using function \\[env\\] returned null value");
    private static final Pattern MANDATORY = Pattern.compile(
            "Route template (\\S+) the following mandatory parameters must be provided: ([^\\n]+)");
    /** Words of the names of secret options (and of URLs that carry one), in any case. */
    private static final Pattern SECRET = Pattern.compile(
            "(?i)secret|password|passphrase|token|key|credential|connectionstring|signature|authorization|sig=");

    private final List<Path> files;
    private final Supplier<List<String>> templateIds;
    private final Function<String, String> routeLocation;

    /**
     * @param files         the route files as the user named them
     * @param templateIds   the known template ids (read when needed)
     * @param routeLocation the resource a route was loaded from, by route id, or {@code null}
     */
    RouteErrors(List<Path> files, Supplier<List<String>> templateIds, Function<String, String> routeLocation) {
        this.files = files;
        this.templateIds = templateIds;
        this.routeLocation = routeLocation;
    }

    MigrationException translate(Throwable failure) {
        MarkedYamlEngineException yaml = find(failure, MarkedYamlEngineException.class);
        if (yaml != null) {
            return new MigrationException(ErrorKind.USER_CONFIG, yamlMessage(yaml), failure);
        }
        TemplateParameterCheck.UnknownParameters parameters = find(failure,
                TemplateParameterCheck.UnknownParameters.class);
        if (parameters != null) {
            return new MigrationException(ErrorKind.USER_CONFIG, mentioning(parameters.parameter())
                    + parameters.getMessage(), failure);
        }
        TemplateLocationKinds.WrongKind kind = find(failure, TemplateLocationKinds.WrongKind.class);
        if (kind != null) {
            return new MigrationException(ErrorKind.USER_CONFIG, mentioning(kind.location()) + kind.getMessage(),
                    failure);
        }
        MigrationException placeholder = placeholderProblem(failure);
        if (placeholder != null) {
            return placeholder;
        }
        String where = routeContext(failure);
        MigrationException ours = find(failure, MigrationException.class);
        if (ours != null) {
            return new MigrationException(ours.kind(), where + ours.getMessage(), failure);
        }
        for (Throwable c = failure; c != null; c = c.getCause()) {
            Matcher m = c.getMessage() == null ? null : UNKNOWN_TEMPLATE.matcher(c.getMessage());
            if (m != null && m.find()) {
                String id = m.group(1);
                String line = lineMatching(Pattern.compile("routeTemplateRef:\\s*[\"']?" + Pattern.quote(id)
                        + "[\"']?\\s*$"));
                return new MigrationException(ErrorKind.USER_CONFIG, (line.isEmpty() ? referencing(id) : line)
                        + "unknown route template '"
                        + id + "' (known templates: " + String.join(", ", templateIds.get()) + ")", failure);
            }
        }
        ResolveEndpointFailedException endpoint = find(failure, ResolveEndpointFailedException.class);
        if (endpoint != null) {
            return new MigrationException(ErrorKind.USER_CONFIG, where + masked(endpoint.getMessage()), failure);
        }
        if (isConfiguration(failure)) {
            return new MigrationException(ErrorKind.USER_CONFIG, where + masked(deepest(failure).getMessage()),
                    failure);
        }
        return new MigrationException(ErrorKind.FATAL, "could not start the routes: "
                + masked(deepest(failure).toString()), failure);
    }

    /**
     * Camel's message with the values of secret options masked: Camel masks the endpoint URI it names, but not the
     * same URI quoted again by the cause (e.g. "Invalid uri syntax: Trailing &amp; marker found ...: QUERY").
     */
    static String masked(String message) {
        return MaskedUris.secretOptions(message);
    }

    /**
     * An environment variable a route file reads ({@code {{env:NAME}}}) that is not set, or a template parameter
     * that is not given: said with the file and line, instead of Camel's message with the whole endpoint URI.
     */
    private MigrationException placeholderProblem(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String message = c.getMessage() == null ? "" : c.getMessage();
            Matcher env = ENV_UNSET.matcher(message);
            if (env.find()) {
                String name = env.group(1);
                return new MigrationException(ErrorKind.USER_CONFIG, mentioning("env:" + name) + "the environment"
                        + " variable " + name + " is not set (the route file reads {{env:" + name + "}}): set it, or"
                        + " give a default, {{env:" + name + ":DEFAULT}}", failure);
            }
            Matcher mandatory = MANDATORY.matcher(message);
            if (mandatory.find()) {
                FailedToCreateRouteFromTemplateException route = find(failure,
                        FailedToCreateRouteFromTemplateException.class);
                String routeId = route == null ? null : route.getRouteId();
                String line = routeId != null ? mentioning(routeId) : lineMatching(Pattern.compile(
                        "routeTemplateRef:\\s*[\"']?" + Pattern.quote(mandatory.group(1)) + "[\"']?\\s*$"));
                return new MigrationException(ErrorKind.USER_CONFIG, line + (routeId == null ? "" : "route '" + routeId
                        + "': ") + "route template '" + mandatory.group(1) + "' needs the parameter "
                        + mandatory.group(2).trim() + " (add - { name: " + mandatory.group(2).split(",")[0].trim()
                        + ", value: ... } to its parameters)", failure);
            }
        }
        return null;
    }

    private String yamlMessage(MarkedYamlEngineException e) {
        Optional<Mark> problem = e.getProblemMark();
        Optional<Mark> context = e.getContextMark();
        Mark mark = problem.orElse(context.orElse(null));
        String what = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
        if (mark == null) {
            return "malformed route file: " + what;
        }
        StringBuilder msg = new StringBuilder();
        msg.append(display(mark.getName())).append(':').append(mark.getLine() + 1).append(':')
                .append(mark.getColumn() + 1).append(": ").append(what);
        if (e.getContext() != null && context.isPresent() && problem.isPresent()) {
            msg.append(" (").append(e.getContext()).append(" at line ").append(context.get().getLine() + 1)
                    .append(", column ").append(context.get().getColumn() + 1).append(')');
        }
        String snippet = mark.createSnippet();
        if (snippet != null && !snippet.isBlank()) {
            // the line is quoted as it is in the file: never one that may hold a secret (the message reaches CI logs)
            msg.append('\n').append(SECRET.matcher(snippet).find()
                    ? "(the line is not shown: it may hold a secret)" : snippet);
        }
        return msg.toString();
    }

    private String routeContext(Throwable failure) {
        FailedToCreateRouteException route = find(failure, FailedToCreateRouteException.class);
        if (route != null && route.getRouteId() != null) {
            String location = route.getLocation();
            Matcher source = location == null && route.getMessage() != null
                    ? ROUTE_SOURCE.matcher(route.getMessage()) : null;
            if (source != null && source.find()) {
                location = source.group(1);
            }
            if (location == null) {
                location = routeLocation.apply(route.getRouteId());
            }
            return "route '" + route.getRouteId() + "'" + (location == null ? "" : " in " + display(location)) + ": ";
        }
        FailedToCreateRouteFromTemplateException template = find(failure,
                FailedToCreateRouteFromTemplateException.class);
        if (template != null) {
            return "route '" + template.getRouteId() + "' from template '" + template.getTemplateId() + "': ";
        }
        return "";
    }

    /** The user's spelling of a loaded resource name such as {@code file:/abs/routes.yaml}. */
    String display(String resource) {
        if (resource == null) {
            return "<unknown file>";
        }
        String plain = resource.startsWith("file:") ? resource.substring("file:".length()) : resource;
        for (Path f : files) {
            if (f.toAbsolutePath().normalize().toString().equals(plain)) {
                return f.toString();
            }
        }
        return plain;
    }

    /** {@code "file.yaml: "} for the first route file that mentions the id, else empty. */
    private String referencing(String id) {
        for (Path f : files) {
            try {
                if (Files.readString(f).contains(id)) {
                    return f + ": ";
                }
            } catch (IOException | UncheckedIOException e) {
                // only a hint; the message is still useful without it
            }
        }
        return "";
    }

    /** {@code file:line: } of the first line of the route files that has {@code word} as a word, or "". */
    private String mentioning(String word) {
        return lineMatching(Pattern.compile("(?<![\\w-])" + Pattern.quote(word) + "(?![\\w-])"));
    }

    /** {@code file:line: } of the first line of the route files in which {@code token} is found, or "". */
    private String lineMatching(Pattern token) {
        for (Path f : files) {
            try {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (token.matcher(lines.get(i)).find()) {
                        return f + ":" + (i + 1) + ": ";
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // only a hint; the message is still useful without it
            }
        }
        return "";
    }

    private static boolean isConfiguration(Throwable failure) {
        return find(failure, FailedToCreateRouteException.class) != null
                || find(failure, FailedToCreateRouteFromTemplateException.class) != null
                || find(failure, NoSuchEndpointException.class) != null
                || find(failure, NoSuchBeanException.class) != null
                || find(failure, PropertyBindingException.class) != null
                || deepest(failure) instanceof IllegalArgumentException;
    }

    private static Throwable deepest(Throwable t) {
        Throwable d = t;
        while (d.getCause() != null && d.getCause() != d) {
            d = d.getCause();
        }
        return d;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
