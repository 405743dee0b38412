package dev.caravan.cli;

import dev.caravan.application.ApplicationMigration;
import dev.caravan.application.ApplicationPlan;
import dev.caravan.application.ApplicationPlans;
import dev.caravan.application.ApplicationReport;
import dev.caravan.application.ApplicationSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * Application plans ({@code application:} YAML files, see docs/migrations/application.md) among the files given to
 * {@code caravan run} and {@code caravan plan}: they run through {@link ApplicationMigration}, the other files as
 * Camel routes.
 */
final class ApplicationFiles {
    private ApplicationFiles() {
    }

    /** The application plans among {@code files}, in order. */
    static List<Path> plans(List<Path> files) {
        return files.stream().filter(ApplicationPlans::isApplicationPlan).toList();
    }

    /** The files that are not application plans (Camel route files), in order. */
    static List<Path> routes(List<Path> files) {
        return files.stream().filter(f -> !ApplicationPlans.isApplicationPlan(f)).toList();
    }

    /** Runs each plan's cutover and prints its report; the highest exit code (0 moved and verified, 1, 2). */
    static int run(List<Path> plans, CaravanCommand root) {
        Console console = root.console();
        int code = 0;
        for (Path file : plans) {
            ApplicationReport report = ApplicationMigration.load(file, settings(root)).run();
            console.info(report.toText());
            if (report.exitCode() != 0) {
                console.error("application " + report.name() + " was not moved: " + report.outcome()
                        + (report.failingStep() == null ? "" : " (failing step: " + report.failingStep() + ")"));
            }
            code = Math.max(code, report.exitCode());
        }
        return code;
    }

    /** Prints each plan (steps in order, preflight, forecast), writing nothing; the highest exit code. */
    static int plan(List<Path> plans, CaravanCommand root) {
        int code = 0;
        for (Path file : plans) {
            ApplicationPlan plan = ApplicationMigration.load(file, settings(root)).plan();
            root.console().print(plan.toText());
            code = Math.max(code, plan.exitCode());
        }
        return code;
    }

    private static ApplicationSettings settings(CaravanCommand root) {
        ApplicationSettings s = ApplicationSettings.defaults();
        return root.home == null ? s : s.withWorkDir(root.home.resolve("applications"));
    }
}
