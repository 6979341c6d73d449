package io.imagegate.cli.bench;

import io.imagegate.api.Environment;
import io.imagegate.api.ImageGate;
import io.imagegate.api.ImportResult;
import io.imagegate.api.ImportSpec;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.ScanResult;
import io.imagegate.api.ScanSpec;
import io.imagegate.api.Settings;
import io.imagegate.api.TrivySettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * The facade called repeatedly in one JVM, as a Maven reactor or a Jenkins controller calls it.
 * Reads commands from stdin, one per line, and answers each with one line "ok <wall ms> <peak heap
 * MiB> cpu=<ms>ms jit=<ms>ms gc=<ms>ms <summary>" (or "error …"), so the benchmark can give every
 * run a fresh destination and alternate with other tools. The wall time is the call's own, in
 * milliseconds to the microsecond: the pipe to and from the benchmark is not part of it.
 *
 * <pre>
 *   import SOURCE TARGET
 *   scan IMAGE CACHE_DIR
 *   heap                  (the heap in use after full collections: what earlier calls retained)
 * </pre>
 *
 * Compiled with the CLI's tests (so the build keeps it in step with the API); the benchmark runs it
 * as {@code java -cp cli/target/imagegate.jar:cli/target/test-classes
 * io.imagegate.cli.bench.InProcess}.
 */
public final class InProcess {
    public static void main(String[] args) throws Exception {
        ImageGate api =
                ImageGate.create(
                        Settings.of(
                                Environment.of(
                                        System.getenv(),
                                        System.getProperty("user.home"),
                                        Path.of("").toAbsolutePath().toString(),
                                        System.getProperty("java.io.tmpdir"))));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("ready");
        System.out.flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.strip().split("\\s+");
            resetPeaks();
            long cpuStart = processCpuNanos();
            long jitStart = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long gcStart = gcMillis();
            long start = System.nanoTime();
            String summary;
            boolean ok;
            switch (words[0]) {
                case "import" -> {
                    ImportResult r =
                            api.importImage(
                                    ImportSpec.builder().source(words[1]).target(words[2]).build(),
                                    ProgressListener.NONE);
                    ok = r.passed();
                    summary = r.summary();
                }
                case "scan" -> {
                    ScanResult r =
                            api.scan(
                                    ScanSpec.of(
                                            words[1],
                                            null,
                                            null,
                                            TrivySettings.builder()
                                                    .cacheDir(words[2])
                                                    .skipDbUpdate(true)
                                                    .skipJavaDbUpdate(true)
                                                    .offlineScan(true)
                                                    .build()),
                                    ProgressListener.NONE);
                    ok = r.error().isEmpty();
                    summary =
                            r.outcome()
                                    + " "
                                    + r.verdicts().size()
                                    + " verdict(s)"
                                    + r.error().map(e -> ": " + e.getMessage()).orElse("");
                }
                case "heap" -> {
                    // what the calls so far left behind: the heap in use after full collections
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                    }
                    ok = true;
                    summary =
                            "retained="
                                    + ManagementFactory.getMemoryMXBean()
                                                    .getHeapMemoryUsage()
                                                    .getUsed()
                                            / 1024
                                    + "KiB";
                }
                default -> {
                    ok = false;
                    summary = "unknown command " + words[0];
                }
            }
            String ms =
                    String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e6);
            long cpuMs = (processCpuNanos() - cpuStart) / 1_000_000;
            System.out.println(
                    (ok ? "ok " : "error ")
                            + ms
                            + " "
                            + peakHeapMiB()
                            + " cpu="
                            + cpuMs
                            + "ms jit="
                            + (ManagementFactory.getCompilationMXBean().getTotalCompilationTime()
                                    - jitStart)
                            + "ms gc="
                            + (gcMillis() - gcStart)
                            + "ms "
                            + summary.replace('\n', ' '));
            System.out.flush();
        }
    }

    /** The JVM's CPU time (user and system, every thread), to compare with a whole process's. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionTime()))
                .sum();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** Peak heap use since the last reset, summed over the heap's pools. */
    private static long peakHeapMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }
}
