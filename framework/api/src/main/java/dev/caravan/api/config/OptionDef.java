package dev.caravan.api.config;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One option of a connector or component, declared as data. The description is the documentation: the
 * connector reference, {@code caravan describe} and endpoint validation are all generated from it.
 *
 * @param name         camelCase name as used in URIs and YAML
 * @param type         value type
 * @param defaultValue default as a string, or {@code null} when there is none
 * @param required     whether a value must be given
 * @param secret       whether the value is masked in logs, reports and {@code toString}
 * @param description  one or two sentences for users
 * @param allowed      allowed values for {@link OptionType#ENUM}, empty otherwise
 * @param validator    returns an error message for a bad value, or {@code null} when the value is fine
 */
public record OptionDef(
        String name,
        OptionType type,
        String defaultValue,
        boolean required,
        boolean secret,
        String description,
        List<String> allowed,
        Function<String, String> validator) {

    public OptionDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        allowed = List.copyOf(allowed == null ? List.of() : allowed);
        validator = validator == null ? v -> null : validator;
        if (type == OptionType.PASSWORD) {
            secret = true;
        }
    }

    /** Starts an optional string option with no default. */
    public static OptionDef of(String name, OptionType type, String description) {
        return new OptionDef(name, type, null, false, false, description, List.of(), null);
    }

    public OptionDef withDefault(String value) {
        return new OptionDef(name, type, value, required, secret, description, allowed, validator);
    }

    public OptionDef asRequired() {
        return new OptionDef(name, type, defaultValue, true, secret, description, allowed, validator);
    }

    public OptionDef asSecret() {
        return new OptionDef(name, type, defaultValue, required, true, description, allowed, validator);
    }

    public OptionDef withAllowed(String... values) {
        return new OptionDef(name, OptionType.ENUM, defaultValue, required, secret, description, List.of(values),
                validator);
    }

    public OptionDef withValidator(Function<String, String> check) {
        return new OptionDef(name, type, defaultValue, required, secret, description, allowed, check);
    }
}
