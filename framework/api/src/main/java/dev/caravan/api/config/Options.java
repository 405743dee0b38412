package dev.caravan.api.config;

import dev.caravan.api.error.MigrationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The declared options of one connector or component, in declaration order. {@link #resolve} validates raw
 * values against the declarations and returns a {@link Config}; anything unknown, missing or malformed fails
 * with {@link dev.caravan.api.error.ErrorKind#USER_CONFIG} and a message that names the known options.
 */
public final class Options {
    private final String owner;
    private final Map<String, OptionDef> defs;

    private Options(String owner, List<OptionDef> defs) {
        this.owner = owner;
        Map<String, OptionDef> byName = new LinkedHashMap<>();
        for (OptionDef def : defs) {
            if (byName.put(def.name(), def) != null) {
                throw new IllegalArgumentException("option declared twice in " + owner + ": " + def.name());
            }
        }
        this.defs = Collections.unmodifiableMap(byName);
    }

    public static Options of(String owner, OptionDef... defs) {
        return new Options(owner, List.of(defs));
    }

    public static Options of(String owner, List<OptionDef> defs) {
        return new Options(owner, defs);
    }

    public String owner() {
        return owner;
    }

    public List<OptionDef> list() {
        return List.copyOf(defs.values());
    }

    public Optional<OptionDef> find(String name) {
        return Optional.ofNullable(defs.get(name));
    }

    /** Validates raw values (unknown names, required ones, types, allowed values, validators). */
    public Config resolve(Map<String, String> raw) {
        List<String> problems = new ArrayList<>();
        for (String name : raw.keySet()) {
            if (!defs.containsKey(name)) {
                String near = NearestName.of(name, defs.keySet());
                problems.add("unknown option '" + name + "' for " + owner
                        + (near != null ? " (did you mean '" + near + "'?)" : "") + " (known options: "
                        + String.join(", ", defs.keySet()) + ")");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (OptionDef def : defs.values()) {
            String value = raw.get(def.name());
            if (value == null) {
                value = def.defaultValue();
            }
            if (value == null) {
                if (def.required()) {
                    problems.add("option '" + def.name() + "' of " + owner + " is required: " + def.description());
                }
                continue;
            }
            String problem = Config.checkType(def, value);
            if (problem == null) {
                problem = def.validator().apply(value);
            }
            if (problem != null) {
                problems.add("option '" + def.name() + "' of " + owner + ": " + problem);
            } else {
                values.put(def.name(), value);
            }
        }
        if (!problems.isEmpty()) {
            throw MigrationException.userConfig(problems.stream().collect(Collectors.joining("; ")));
        }
        return new Config(this, values);
    }
}
