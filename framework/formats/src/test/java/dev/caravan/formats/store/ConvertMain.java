package dev.caravan.formats.store;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.formats.TestIo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one conversion between local directories, for tests that need a separate JVM (bounded heap).
 * Arguments: {@code srcDir glob srcFormat dstDir prefix dstFormat maxRecordsPerFile [src.k=v | dst.k=v ...]}.
 * Prints the report and the peak heap use; exit code 0 on success.
 */
public final class ConvertMain {
    private ConvertMain() {
    }

    public static void main(String[] args) {
        Map<String, String> srcOptions = new LinkedHashMap<>();
        Map<String, String> dstOptions = new LinkedHashMap<>();
        for (int i = 7; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            (a.startsWith("src.") ? srcOptions : dstOptions).put(a.substring(4, eq), a.substring(eq + 1));
        }
        ObjectStore src = TestIo.store(Path.of(args[0]));
        ObjectStore dst = TestIo.store(Path.of(args[3]));
        try {
            ConversionReport r = FormatConversion.builder().source(src, args[1], args[2], srcOptions)
                    .target(dst, args[4], args[5], dstOptions).maxRecordsPerFile(Long.parseLong(args[6])).build().run();
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("REPORT records=" + r.recordsOut() + " files=" + r.files().size() + " bytesIn=" + r.bytesIn()
                    + " bytesOut=" + r.bytesOut() + " seconds=" + r.elapsed().toMillis() / 1000.0
                    + " peakHeapMiB=" + peak / (1024 * 1024) + " maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
            System.exit(0);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
