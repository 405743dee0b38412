package dev.caravan.cli;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.api.vm.HypervisorProvider;
import dev.caravan.core.registry.ConnectorRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code caravan connectors}: every connector on the class path with its scheme, kind and description. */
@Command(name = "connectors", mixinStandardHelpOptions = true,
        description = "Lists the connectors on the class path: scheme, what they hold, description.")
final class ConnectorsCommand implements Callable<Integer> {

    @ParentCommand
    CaravanCommand root;

    @Override
    public Integer call() {
        List<ConnectorProvider> all = ConnectorRegistry.load().all();
        Console console = root.console();
        if (all.isEmpty()) {
            console.print("no connectors on the class path");
            return Main.OK;
        }
        TextTable t = new TextTable("SCHEME", "KIND", "DESCRIPTION");
        for (ConnectorProvider p : all) {
            t.row(p.scheme(), kind(p), p.description());
        }
        console.out().print(t.render());
        console.out().flush();
        console.info("");
        console.info("Options of a connector: caravan describe SCHEME");
        return Main.OK;
    }

    /** {@code objects}, {@code records}, {@code vms}, or several joined with {@code +}. */
    static String kind(ConnectorProvider p) {
        List<String> kinds = new ArrayList<>();
        if (p instanceof StoreProvider) {
            kinds.add("objects");
        }
        if (p instanceof RecordProvider) {
            kinds.add("records");
        }
        if (p instanceof HypervisorProvider) {
            kinds.add("vms");
        }
        return kinds.isEmpty() ? "other" : String.join("+", kinds);
    }
}
