package dev.caravan.application;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Tells application plans from Camel route files, for a command line that accepts both. */
public final class ApplicationPlans {
    private static final Pattern TOP_KEY = Pattern.compile("(?m)^application\\s*:");

    private ApplicationPlans() {
    }

    /**
     * Whether the YAML file is an application plan: a top-level {@code application:} key (route files are lists).
     * A file that cannot be read is not one.
     */
    public static boolean isApplicationPlan(Path file) {
        try {
            return (file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
                    && TOP_KEY.matcher(Files.readString(file)).find();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
