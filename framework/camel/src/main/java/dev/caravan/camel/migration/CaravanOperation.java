package dev.caravan.camel.migration;

import dev.caravan.api.error.MigrationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a {@code caravan:} endpoint does with the migration it describes (the URI path). */
public enum CaravanOperation {
    /** Run (or resume) the migration; body: {@link dev.caravan.core.engine.RunResult}. */
    MIGRATE,
    /** Dry run; body: {@link dev.caravan.core.engine.PlanResult}. Nothing is written. */
    PLAN,
    /** Compare source and target; body: {@link dev.caravan.api.verify.VerificationReport}. */
    VERIFY;

    /** The URI form, e.g. {@code migrate}. */
    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the URI form; an unknown name gives a USER_CONFIG error listing the known ones. */
    public static CaravanOperation parse(String text) {
        String t = text == null ? "" : text.trim();
        for (CaravanOperation op : values()) {
            if (op.uriName().equalsIgnoreCase(t)) {
                return op;
            }
        }
        throw MigrationException.userConfig("unknown caravan operation '" + t + "' (known operations: "
                + Arrays.stream(values()).map(CaravanOperation::uriName).collect(Collectors.joining(", "))
                + "), e.g. caravan:migrate?source=local:/data&target=local:/backup");
    }
}
