package dev.caravan.runtime;

import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How much Camel itself logs while a {@link CaravanRuntime} loads and runs routes. Failures are reported either
 * way in {@link RoutesRun#errors()}, one line each.
 */
public enum CamelLogging {
    /**
     * The default: camel-main's start and stop lines off, and failed exchanges not logged by Camel's error handler
     * or by consumers (both at DEBUG instead). A failure that is a {@link dev.caravan.api.error.MigrationException}
     * is the one line of {@link RoutesRun#errors()}, without a stack trace; any other exception (a bug in a route
     * step) is logged once at WARN with its stack trace. Camel's own loggers are set to WARN where the logging
     * backend takes levels from system properties (slf4j-simple), unless a level for {@code org.apache.camel} is
     * set already; other backends keep their configuration.
     */
    QUIET,
    /** Camel as it comes: startup summary, and the default error handler's ERROR with history and stack trace. */
    CAMEL;

    /** System property that selects the default: {@code quiet} or {@code camel}. */
    public static final String PROPERTY = "caravan.camel.logging";

    private static final String SIMPLE_LOGGER_CAMEL = "org.slf4j.simpleLogger.log.org.apache.camel";

    /** The value of {@link #PROPERTY}, or {@link #QUIET} when unset or unknown. */
    public static CamelLogging fromSystemProperty() {
        String value = System.getProperty(PROPERTY, "");
        return value.trim().toLowerCase(Locale.ROOT).equals("camel") ? CAMEL : QUIET;
    }

    /**
     * Quiet: puts Camel's loggers at WARN through slf4j-simple's system property, before camel-main makes them,
     * so its unconditional INFO lines ("Apache Camel ... is starting") stay out of the output.
     */
    void applyToLoggers() {
        if (this == QUIET && System.getProperty(SIMPLE_LOGGER_CAMEL) == null
                && LoggerFactory.getILoggerFactory().getClass().getName().startsWith("org.slf4j.simple.")) {
            System.setProperty(SIMPLE_LOGGER_CAMEL, "warn");
        }
    }
}
