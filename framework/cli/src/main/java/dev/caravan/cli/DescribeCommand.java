package dev.caravan.cli;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.core.registry.ConnectorRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code caravan describe SCHEME}: a connector's declared options (name, type, default, required, secret,
 * description); with {@code --markdown} the connector's reference page, as committed under
 * {@code docs/connectors/}.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Shows a connector's options: name, type, default, required, secret, description. "
                + "Defaults of secrets are masked.")
final class DescribeCommand implements Callable<Integer> {

    @ParentCommand
    CaravanCommand root;

    @Parameters(index = "0", paramLabel = "SCHEME",
            description = "Connector scheme, e.g. local (see 'caravan connectors').")
    String scheme;

    @Option(names = "--markdown", description = "Print the connector's reference page in Markdown (docs/connectors/).")
    boolean markdown;

    @Override
    public Integer call() {
        ConnectorProvider provider = ConnectorRegistry.load().require(scheme);
        Console console = root.console();
        console.out().print(markdown ? OptionDocs.markdown(provider) : OptionDocs.text(provider));
        console.out().flush();
        return Main.OK;
    }
}
