package dev.caravan.cli;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RouteTemplateInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code caravan describe SCHEME}: a connector's declared options (name, type, default, required, secret,
 * description); with {@code --markdown} the connector's reference page, as committed under
 * {@code docs/connectors/}. {@code caravan describe TEMPLATE}: a route template's parameters.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = {"Shows a connector's options: name, type, default, required, secret, description. "
                + "Defaults of secrets are masked.",
            "With a route template's id (e.g. cloud-s3-to-azure), the template's parameters: name, default, "
                + "required, description."})
final class DescribeCommand implements Callable<Integer> {

    @ParentCommand
    CaravanCommand root;

    @Parameters(index = "0", paramLabel = "SCHEME",
            description = "Connector scheme, e.g. local (see 'caravan connectors'), or route template id.")
    String scheme;

    @Option(names = "--markdown", description = "Print the connector's reference page in Markdown (docs/connectors/).")
    boolean markdown;

    @Override
    public Integer call() {
        ConnectorRegistry connectors = ConnectorRegistry.load();
        Optional<ConnectorProvider> provider = connectors.find(scheme);
        String text;
        if (provider.isPresent()) {
            text = markdown ? OptionDocs.markdown(provider.get()) : OptionDocs.text(provider.get());
        } else {
            List<RouteTemplateInfo> templates;
            try (CaravanRuntime runtime = CaravanRuntime.create(root.settings())) {
                templates = runtime.templates();
            }
            RouteTemplateInfo template = templates.stream().filter(t -> t.id().equals(scheme)).findFirst()
                    .orElseThrow(() -> MigrationException.userConfig("unknown connector '" + scheme
                            + "', nor a route template (connectors: " + connectors.all().stream().map(ConnectorProvider::scheme)
                            .collect(Collectors.joining(", ")) + "; route templates: " + templates.stream()
                            .map(RouteTemplateInfo::id).collect(Collectors.joining(", ")) + ")"));
            if (markdown) {
                throw MigrationException.userConfig("--markdown is for connectors; '" + scheme
                        + "' is a route template (routes/README.md documents the templates)");
            }
            text = OptionDocs.text(template);
        }
        Console console = root.console();
        console.out().print(text);
        console.out().flush();
        return Main.OK;
    }
}
