package dev.caravan.connector.libvirt;

import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.vm.ColdMigration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The Caravan side of {@code scripts/bench-vm.sh} (not a test): migrates a running domain A -> B once, live
 * (shared nothing) or cold, and prints {@code caravan <kind> <wall ms> <downtime ms> <iterations>}. Args:
 * {@code live|cold <domain> <uriA> <uriB>}.
 */
public final class VmBench {
    private VmBench() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        String vm = args[1];
        try (Hypervisor a = new LibvirtHypervisorProvider().open(args[2], null);
                Hypervisor b = new LibvirtHypervisorProvider().open(args[3], null)) {
            a.describe(vm); // connections warm, like an already running virsh/libvirtd session
            MigrationResult r;
            if (kind.equals("live")) {
                long t0 = System.nanoTime();
                r = a.migrateLive(vm, b, LiveMigrationOptions.builder().migrateUri("tcp://127.0.0.1").build(), p -> { });
                print(kind, (System.nanoTime() - t0) / 1e6, r.downtime(), r.iterations());
            } else {
                Path home = Files.createTempDirectory("caravan-bench");
                try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home),
                        ConnectorRegistry.of(new LibvirtPoolStoreProvider(), new LibvirtHypervisorProvider()))) {
                    long t0 = System.nanoTime();
                    r = new ColdMigration(engine).migrate(a, b, vm,
                            ColdMigrationOptions.defaults().withShutdown(Duration.ZERO, true), p -> { });
                    print(kind, (System.nanoTime() - t0) / 1e6, r.downtime(), 0);
                }
            }
        }
    }

    private static void print(String kind, double wallMs, Duration downtime, long iterations) {
        System.out.println(String.format(Locale.ROOT, "caravan %s %.0f %d %d", kind, wallMs,
                downtime == null ? -1 : downtime.toMillis(), iterations));
    }
}
