package dev.caravan.cli;

import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.runtime.VmPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints the preflight of a {@code caravan-vm:} move: each check with its verdict, the forecast, the refusal. */
final class VmPlanPrinter {
    private final Console console;

    VmPlanPrinter(Console console) {
        this.console = console;
    }

    void print(VmPlan plan) {
        lines(plan).forEach(console::print);
        if (plan.refused()) {
            console.error("vm-" + plan.kind().name().toLowerCase(Locale.ROOT) + " of " + plan.domain()
                    + " would be refused: " + plan.checks().stream().filter(c -> c.status()
                            == PreflightCheck.Status.FAIL).map(c -> c.name() + ": " + c.detail())
                            .reduce((a, b) -> a + "; " + b).orElse(""));
        }
    }

    static List<String> lines(VmPlan plan) {
        List<String> out = new ArrayList<>();
        out.add("plan " + (plan.route() == null ? "" : plan.route() + ": ") + "vm-"
                + plan.kind().name().toLowerCase(Locale.ROOT) + " " + (plan.domain() == null ? "?" : plan.domain())
                + " " + plan.source() + " -> " + plan.target());
        TextTable t = new TextTable("    CHECK", "RESULT", "DETAIL");
        for (PreflightCheck c : plan.checks()) {
            t.row("    " + c.name(), c.status().name(), c.detail());
        }
        out.add("  preflight:");
        t.render().lines().forEach(out::add);
        PreflightCheck forecast = plan.forecast();
        out.add("  forecast  " + (forecast == null ? "none (the hypervisor gave no forecast)" : forecast.detail()));
        out.add(plan.refused() ? "  REFUSED   the move would not start" : "  the move would start");
        out.add("  nothing moved");
        return out;
    }
}
