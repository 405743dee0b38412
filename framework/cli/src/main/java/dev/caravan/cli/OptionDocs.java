package dev.caravan.cli;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.config.OptionDef;
import dev.caravan.runtime.RouteTemplateInfo;
import dev.caravan.api.config.OptionType;
import java.util.Locale;

/**
 * Renders a connector's declared options, the single source of its documentation: a text table for
 * {@code caravan describe} and the Markdown reference page committed as {@code docs/connectors/<scheme>.md}.
 * Defaults of secret options are always masked.
 */
public final class OptionDocs {
    /** What a masked value looks like. */
    public static final String MASK = "****";

    private OptionDocs() {
    }

    /** The table printed by {@code caravan describe SCHEME}. */
    public static String text(ConnectorProvider p) {
        StringBuilder sb = new StringBuilder();
        sb.append(p.scheme()).append(" (").append(ConnectorsCommand.kind(p)).append("): ").append(p.description())
                .append("\n\n");
        if (p.options().list().isEmpty()) {
            return sb.append("no options\n").toString();
        }
        TextTable t = new TextTable("NAME", "TYPE", "DEFAULT", "REQUIRED", "SECRET", "DESCRIPTION");
        for (OptionDef d : p.options().list()) {
            t.row(d.name(), type(d), defaultValue(d), yesNo(d.required()), yesNo(d.secret()), oneLine(d.description()));
        }
        return sb.append(t.render()).toString();
    }

    /**
     * A route template's parameters as a table: name, default ({@code -}: none, {@code (empty)}: not set),
     * required, description.
     */
    public static String text(RouteTemplateInfo template) {
        StringBuilder sb = new StringBuilder();
        sb.append(template.id()).append(" (route template, ").append(template.location()).append("): ")
                .append(oneLine(template.description())).append("\n\n");
        TextTable t = new TextTable("NAME", "DEFAULT", "REQUIRED", "DESCRIPTION");
        for (RouteTemplateInfo.Parameter p : template.parameters()) {
            String def = p.defaultValue() == null ? "-" : p.defaultValue().isEmpty() ? "(empty)" : p.defaultValue();
            t.row(p.name(), def, yesNo(p.required()), oneLine(p.description()));
        }
        return sb.append(t.render()).toString();
    }

    /** The reference page {@code docs/connectors/<scheme>.md}. */
    public static String markdown(ConnectorProvider p) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Connector `").append(p.scheme()).append("`\n\n");
        sb.append("<!-- Generated from the connector's declared options by `caravan describe ").append(p.scheme())
                .append(" --markdown`.\n     Do not edit by hand: DocsGeneratorTest fails when this file differs."
                        + " -->\n\n");
        sb.append(oneLine(p.description())).append("\n\n");
        sb.append("- Scheme: `").append(p.scheme()).append("`; locations are written `").append(p.scheme())
                .append(":<location>`\n");
        sb.append("- Kind: ").append(ConnectorsCommand.kind(p)).append("\n\n");
        sb.append("## Options\n\n");
        if (p.options().list().isEmpty()) {
            sb.append("This connector has no options.\n");
        } else {
            sb.append("| Name | Type | Default | Required | Secret | Description |\n");
            sb.append("| --- | --- | --- | --- | --- | --- |\n");
            for (OptionDef d : p.options().list()) {
                String def = d.defaultValue() == null ? "" : "`" + cell(defaultValue(d)) + "`";
                sb.append("| `").append(d.name()).append("` | ").append(cell(type(d))).append(" | ").append(def)
                        .append(" | ").append(yesNo(d.required())).append(" | ").append(yesNo(d.secret()))
                        .append(" | ").append(cell(oneLine(d.description()))).append(" |\n");
            }
        }
        sb.append("\nOptions are given as endpoint or template parameters in YAML, and on the command line with "
                + "`--source-option NAME=VALUE` / `--target-option NAME=VALUE`. Sizes accept `64k`, `10M`, `2G`; "
                + "durations `500ms`, `30s`, `5m`, `2h`, `1d`. Secret values are masked in logs, reports and "
                + "`caravan describe`.\n");
        return sb.toString();
    }

    /** The type as users write values: {@code size}, {@code duration}, {@code enum: a|b}. */
    static String type(OptionDef d) {
        String t = d.type().name().toLowerCase(Locale.ROOT);
        if (d.type() == OptionType.ENUM && !d.allowed().isEmpty()) {
            return t + ": " + String.join("|", d.allowed());
        }
        if (d.type() == OptionType.LIST) {
            return "list (comma-separated)";
        }
        return t;
    }

    /** The default, masked for secrets; {@code -} when there is none. */
    static String defaultValue(OptionDef d) {
        if (d.defaultValue() == null) {
            return "-";
        }
        return d.secret() ? MASK : d.defaultValue();
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
