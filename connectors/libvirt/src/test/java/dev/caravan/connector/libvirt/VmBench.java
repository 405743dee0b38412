package dev.caravan.connector.libvirt;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.verify.VerifyMode;
import dev.caravan.core.vm.ColdMigration;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The Caravan side of {@code scripts/bench-vm.sh} (not a test): migrates a running domain A -> B once, live
 * (shared nothing) or cold, and prints {@code caravan <kind> <wall ms> <downtime ms> <iterations>} (cold also
 * {@code phases <name>=<ms>,...}). Args: {@code live|cold|cold-warm <domain> <uriA> <uriB>}.
 *
 * <p>{@code cold-warm} is a cold migration by a process that has worked before (a long-running Caravan: a Camel
 * route, {@code caravan serve}, a host drain moving its second VM): before the clock starts it copies a 1 MiB
 * scratch volume A -> B through the same engine and runs the same preflight, read-only, so the first use of the
 * journal, JSON, hashing and stream code is not in the figure. Plain {@code cold} includes it.
 */
public final class VmBench {
    private static final String SCRATCH = "caravan-bench-warmup.raw";

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
                r = a.migrateLive(vm, b, LiveMigrationOptions.builder().migrateUri("tcp://127.0.0.1").build(),
                        p -> { });
                print(kind, (System.nanoTime() - t0) / 1e6, r.downtime(), r.iterations());
            } else {
                Path home = Files.createTempDirectory("caravan-bench");
                try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home),
                        ConnectorRegistry.of(new LibvirtPoolStoreProvider(), new LibvirtHypervisorProvider()))) {
                    if (kind.equals("cold-warm")) {
                        warmUp(engine, a, b, vm);
                    }
                    long t0 = System.nanoTime();
                    r = new ColdMigration(engine).migrate(a, b, vm,
                            ColdMigrationOptions.defaults().withShutdown(Duration.ZERO, true), p -> { });
                    print(kind, (System.nanoTime() - t0) / 1e6, r.downtime(), 0);
                    System.out.println("phases " + r.details().get("phaseMillis"));
                }
            }
        }
    }

    /** One engine copy of a scratch volume A -> B (then removed) and the preflight of {@code vm}, untimed. */
    private static void warmUp(MigrationEngine engine, Hypervisor a, Hypervisor b, String vm) throws Exception {
        byte[] scratch = new byte[1 << 20];
        new Random(1).nextBytes(scratch);
        var from = a.volumeStore("images");
        var to = b.volumeStore("images");
        try (ObjectStore src = engine.registry().openStore(from.uri(), from.options());
                ObjectStore dst = engine.registry().openStore(to.uri(), to.options())) {
            src.put(SCRATCH, new ByteArrayInputStream(scratch), PutRequest.ofSize(scratch.length));
            try {
                RunResult run = engine.run(MigrationSpec.builder(from.uri(), to.uri()).name("bench warm-up")
                        .sourceOptions(from.options()).targetOptions(to.options())
                        .filters(new Filters(List.of(SCRATCH), List.of(), -1, -1, null, null))
                        .verify(VerifyMode.SHA256).build(), p -> { });
                if (run.copied() != 1) {
                    throw new IllegalStateException("warm-up copy failed: " + run.errors());
                }
            } finally {
                src.delete(SCRATCH);
                dst.delete(SCRATCH);
            }
        }
        a.preflight(vm, b, MigrationKind.COLD, LiveMigrationOptions.defaults());
    }

    private static void print(String kind, double wallMs, Duration downtime, long iterations) {
        System.out.println(String.format(Locale.ROOT, "caravan %s %.0f %d %d", kind, wallMs,
                downtime == null ? -1 : downtime.toMillis(), iterations));
    }
}
