package dev.caravan.cli;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.core.registry.ConnectorRegistry;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warms up, on a daemon thread, the connectors a command line names by scheme ({@code s3:bucket},
 * {@code --target=azblob:c}): {@link ConnectorProvider#warmUp} loads and sets up a connector's client library while
 * the main thread parses the command line, loads the connector registry and opens the journal, instead of after
 * them. Only the launcher's {@link Main#main} starts it; commands run in-process ({@link Main#execute}) do not.
 */
final class ConnectorWarmUp {
    /** A location's scheme: what comes before the first colon, when it looks like a scheme (not {@code C:\}). */
    private static final Pattern SCHEME = Pattern.compile("([a-z][a-z0-9+.-]+):.*", Pattern.DOTALL);

    private ConnectorWarmUp() {
    }

    /** Starts the warm-up of the schemes in {@code args}; does nothing when there are none. */
    static void start(String[] args) {
        Set<String> schemes = schemes(args);
        if (schemes.isEmpty()) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                ConnectorRegistry registry = ConnectorRegistry.load();
                for (String scheme : schemes) {
                    registry.find(scheme).ifPresent(ConnectorProvider::warmUp);
                }
            } catch (RuntimeException | LinkageError e) {
                // the command itself loads the connectors and reports what is wrong with them
            }
        }, "caravan-connector-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** The schemes of the location-like arguments, in order, each once; option values after {@code =} count. */
    static Set<String> schemes(String[] args) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            String value = a.startsWith("-") ? (a.indexOf('=') > 0 ? a.substring(a.indexOf('=') + 1) : "") : a;
            Matcher m = SCHEME.matcher(value);
            if (m.matches()) {
                out.add(m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
