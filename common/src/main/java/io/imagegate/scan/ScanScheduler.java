package io.imagegate.scan;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs Trivy processes side by side, for one operation however many images it vets: at most {@code
 * parallelism} at once (each Trivy is itself multi-threaded and holds its DB in memory), and only
 * one of them updating the vulnerability DB — the first; once one scan has run with updates, the
 * rest run without, and none waits for an update that is not asked for (offline, {@code
 * --skip-db-update}, client/server mode).
 */
public final class ScanScheduler {
    private final int parallelism;
    private final Semaphore slots;
    private final Semaphore updating = new Semaphore(1);
    private volatile boolean updated;

    public ScanScheduler(int parallelism) {
        this.parallelism = Math.max(1, parallelism);
        this.slots = new Semaphore(this.parallelism, true);
    }

    /** As many Trivy processes at once as the machine has cores, at least one, at most eight. */
    public static ScanScheduler forThisMachine() {
        return new ScanScheduler(
                Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())));
    }

    public int parallelism() {
        return parallelism;
    }

    /**
     * One scan, when a slot is free; waits for a running DB update, and runs without updates after
     * one.
     */
    public ScanReport run(TrivyOptions options, Function<TrivyOptions, ScanReport> scan) {
        boolean updates = options.updatesDb() && !updated;
        if (updates) {
            acquire(updating);
            try {
                if (!updated) {
                    // Wanted before the slot, never after: a thread holding a slot never waits for
                    // the update.
                    ScanReport report = inSlot(options, scan);
                    updated = true;
                    return report;
                }
            } finally {
                updating.release();
            }
        }
        return inSlot(options.withoutDbUpdates(), scan);
    }

    private ScanReport inSlot(TrivyOptions options, Function<TrivyOptions, ScanReport> scan) {
        acquire(slots);
        try {
            return scan.apply(options);
        } finally {
            slots.release();
        }
    }

    /**
     * Scans every target (the platforms of an image); reports in the targets' order; the first
     * failure fails all.
     */
    public List<ScanReport> scanAll(
            Trivy trivy,
            List<ScanTargets.Target> targets,
            TrivyOptions options,
            TransportOptions transport,
            CredentialProvider credentials,
            Consumer<String> progress) {
        AtomicInteger started = new AtomicInteger();
        Function<ScanTargets.Target, ScanReport> one =
                target ->
                        run(
                                options,
                                o -> {
                                    progress.accept(
                                            "scanning "
                                                    + target.image()
                                                    + target.platform()
                                                            .map(p -> " (" + p + ")")
                                                            .orElse("")
                                                    + " ["
                                                    + started.incrementAndGet()
                                                    + "/"
                                                    + targets.size()
                                                    + "]");
                                    return trivy.scan(
                                            target.image(),
                                            java.util.Optional.empty(),
                                            o,
                                            transport,
                                            credentials);
                                });
        if (targets.size() <= 1) {
            return targets.stream().map(one).toList();
        }
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        Math.min(parallelism, targets.size()),
                        r -> {
                            Thread t = new Thread(r, "imagegate-scan");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            List<Future<ScanReport>> futures = new ArrayList<>();
            for (ScanTargets.Target target : targets) {
                futures.add(pool.submit(() -> one.apply(target)));
            }
            List<ScanReport> reports = new ArrayList<>();
            for (Future<ScanReport> f : futures) {
                reports.add(await(f));
            }
            return reports;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void acquire(Semaphore semaphore) {
        try {
            semaphore.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ImageGateException.of(
                    ErrorKind.INTERRUPTED, "scan.interrupted", "the scan was interrupted");
        }
    }

    private static ScanReport await(Future<ScanReport> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ImageGateException.of(
                    ErrorKind.INTERRUPTED, "scan.interrupted", "the scan was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ImageGateException ige) {
                throw ige;
            }
            throw ImageGateException.internal(
                            "scan.failed", "a scan failed: {0}", String.valueOf(e.getCause()))
                    .withCause(e.getCause());
        }
    }
}
