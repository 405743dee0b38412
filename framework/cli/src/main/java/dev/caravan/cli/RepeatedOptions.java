package dev.caravan.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * A {@code KEY=VALUE} option ({@code --target-option region=...}) given twice for one key with different values is
 * refused: the last one would silently win. The values are not printed (they may be secrets).
 */
final class RepeatedOptions {
    private RepeatedOptions() {
    }

    static void refuse(CommandSpec spec, String... names) {
        ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed == null) {
            return;
        }
        for (String name : names) {
            OptionSpec option = parsed.matchedOption(name);
            if (option == null) {
                continue;
            }
            Map<String, String> seen = new HashMap<>();
            for (String raw : option.originalStringValues()) {
                int eq = raw.indexOf('=');
                String key = eq < 0 ? raw : raw.substring(0, eq);
                String value = eq < 0 ? "" : raw.substring(eq + 1);
                String before = seen.putIfAbsent(key, value);
                if (before != null && !before.equals(value)) {
                    throw new ParameterException(spec.commandLine(), name + " " + key + " is given twice, with"
                            + " different values: give it once");
                }
            }
        }
    }
}
