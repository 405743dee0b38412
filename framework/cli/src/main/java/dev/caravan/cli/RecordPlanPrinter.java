package dev.caravan.cli;

import dev.caravan.runtime.RecordPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the dry run of a {@code caravan-records:} endpoint: per table the type mapping (column, source type,
 * target type, rule), the target DDL, the splits and the sample records as the target would hold them.
 */
final class RecordPlanPrinter {
    private final Console console;

    RecordPlanPrinter(Console console) {
        this.console = console;
    }

    void print(RecordPlan plan) {
        lines(plan).forEach(console::print);
    }

    static List<String> lines(RecordPlan plan) {
        List<String> out = new ArrayList<>();
        out.add("plan " + (plan.route() == null ? "" : plan.route() + ": ") + plan.source() + " -> " + plan.target()
                + " (records " + plan.operation() + ", " + Formats.plural(plan.tables().size(), "table") + ")");
        for (RecordPlan.TablePlan t : plan.tables()) {
            out.add("  table " + t.name() + ": " + Formats.plural(t.splits(), "split"));
            TextTable mapping = new TextTable("    COLUMN", "SOURCE TYPE", "TARGET COLUMN", "TARGET TYPE", "RULE");
            for (RecordPlan.ColumnMapping c : t.columns()) {
                mapping.row("    " + (c.sourceColumn() == null ? "-" : c.sourceColumn()), c.sourceType(),
                        c.targetColumn(), c.targetType(), c.rule());
            }
            mapping.render().lines().forEach(out::add);
            if (t.targetDdl() != null) {
                out.add("    target DDL:");
                t.targetDdl().lines().forEach(l -> out.add("      " + l));
            }
            out.add("    " + Formats.count(t.sample().size()) + " sample record(s)" + (t.sample().isEmpty() ? ""
                    : " as the target would hold them:"));
            if (!t.sample().isEmpty()) {
                TextTable rows = new TextTable(t.sampleColumns().stream().map(n -> n).toArray(String[]::new));
                t.sample().forEach(r -> rows.row(r.toArray()));
                rows.render().lines().forEach(l -> out.add("      " + l));
            }
            for (String r : t.rejects()) {
                out.add("    would reject  " + r);
            }
        }
        out.add("  nothing was written to the target");
        return out;
    }
}
