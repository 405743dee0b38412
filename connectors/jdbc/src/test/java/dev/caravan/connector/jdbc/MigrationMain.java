package dev.caravan.connector.jdbc;

import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.records.RecordMigrationEngine;
import dev.caravan.core.records.RecordMigrationListener;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one record migration in its own JVM, for the kill-and-resume test and scripts/bench-db.sh (until the CLI
 * wires the engine). Arguments: {@code JOURNAL_URL SOURCE TARGET [source.NAME=VALUE|target.NAME=VALUE|
 * parallelism=N|splits=N|verify=none|count|digest]...}. Prints one line of figures: rows, rejects, seconds per
 * phase, rows/s and the peak heap used; exits 0 when the run is complete and verified.
 */
public final class MigrationMain {
    private MigrationMain() {
    }

    public static void main(String[] args) {
        Map<String, String> so = new HashMap<>();
        Map<String, String> to = new HashMap<>();
        TableMigrationSpec.Builder b = TableMigrationSpec.builder(args[1], args[2]);
        for (int i = 3; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            String k = a.substring(0, eq);
            String v = a.substring(eq + 1);
            if (k.startsWith("source.")) {
                so.put(k.substring(7), v);
            } else if (k.startsWith("target.")) {
                to.put(k.substring(7), v);
            } else if (k.equals("parallelism")) {
                b.parallelism(Integer.parseInt(v));
            } else if (k.equals("splits")) {
                b.splitsPerTable(Integer.parseInt(v));
            } else if (k.equals("verify")) {
                b.verify(TableMigrationSpec.Verify.valueOf(v.toUpperCase(java.util.Locale.ROOT)));
            } else {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        TableMigrationSpec spec = b.sourceOptions(so).targetOptions(to).build();
        RecordMigrationResult r;
        try (JdbcJournal journal = JdbcJournal.open(args[0])) {
            r = new RecordMigrationEngine(ConnectorRegistry.of(new JdbcRecordProvider()), journal).run(spec,
                    RecordMigrationListener.NONE);
        }
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        StringBuilder phases = new StringBuilder();
        r.phases().forEach((k, v) -> phases.append(' ').append(k).append('=').append(String.format("%.2f",
                v.toNanos() / 1e9)));
        System.out.printf("caravan outcome=%s rows=%d rejected=%d skipped_tables=%d seconds=%.2f load_rows_per_s=%.0f"
                + " peak_heap_mib=%.1f%s%n", r.outcome(), r.rows(), r.rejected(), r.skippedTables(),
                r.duration().toNanos() / 1e9, r.rowsPerSecond(), peakHeap / 1048576.0, phases);
        r.tables().stream().filter(t -> t.skipped()).forEach(t -> System.out.println("skipped: " + t.table()
                + " (complete since an earlier run; nothing written)"));
        r.errors().forEach(e -> System.out.println("error: " + e));
        r.verification().problems().forEach(p -> System.out.println("verification: " + p));
        System.exit(r.outcome() == dev.caravan.api.journal.RunOutcome.COMPLETE ? 0 : 1);
    }
}
