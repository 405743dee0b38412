package dev.caravan.camel.support;

import dev.caravan.api.config.NearestName;
import dev.caravan.api.error.MigrationException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The endpoint options of a component, read once from the {@link UriParam} annotations of the endpoint class (and
 * of nested {@link UriParams} beans), so that the annotations stay the single declaration. Used to explain an
 * unknown option with the list of valid ones.
 */
public final class UriOptions {
    private final String owner;
    private final List<String> names;

    private UriOptions(String owner, List<String> names) {
        this.owner = owner;
        this.names = List.copyOf(names);
    }

    /**
     * Reads the options of an endpoint class and its super classes.
     *
     * @param owner        how to name the endpoint in messages, e.g. {@code caravan:migrate}
     * @param endpointType the endpoint class
     * @param producerOnly whether to leave out options labelled {@code consumer}
     */
    public static UriOptions of(String owner, Class<?> endpointType, boolean producerOnly) {
        TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        collect(endpointType, producerOnly, names);
        return new UriOptions(owner, new ArrayList<>(names));
    }

    private static void collect(Class<?> type, boolean producerOnly, TreeSet<String> names) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getType().isAnnotationPresent(UriParams.class)) {
                    collect(field.getType(), producerOnly, names);
                    continue;
                }
                UriParam param = field.getAnnotation(UriParam.class);
                if (param != null) {
                    boolean consumerOnly = param.label().contains("consumer") && !param.label().contains("producer");
                    if (producerOnly && consumerOnly) {
                        continue;
                    }
                    if (!param.prefix().isEmpty()) {
                        names.add(param.prefix() + "*");
                    } else {
                        names.add(param.name().isEmpty() ? field.getName() : param.name());
                    }
                }
            }
        }
    }

    /** Option names, sorted; prefixed map options appear as {@code prefix.*}. */
    public List<String> names() {
        return names;
    }

    /** A USER_CONFIG error for options that are not declared, listing the valid ones (and a likely fix). */
    public MigrationException unknown(Collection<String> unknown) {
        StringBuilder msg = new StringBuilder();
        msg.append(unknown.size() == 1 ? "unknown option " : "unknown options ");
        msg.append(String.join(", ", unknown.stream().map(u -> "'" + u + "'").toList()));
        msg.append(" for ").append(owner);
        for (String u : unknown) {
            String near = NearestName.of(u, names);
            if (near != null) {
                msg.append(" (did you mean '").append(near).append("'?)");
            }
        }
        msg.append("; known options: ").append(String.join(", ", names));
        return MigrationException.userConfig(msg.toString());
    }
}
