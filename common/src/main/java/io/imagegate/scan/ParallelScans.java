package io.imagegate.scan;

import io.imagegate.api.ErrorKind;
import io.imagegate.api.ImageGateException;
import io.imagegate.registry.CredentialProvider;
import io.imagegate.registry.TransportOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Scans several manifests (the platforms of an image) with Trivy side by side: the first alone, so that it alone
 * updates the vulnerability DB when updates are on, then the rest at once, a bounded number at a time, without DB
 * updates. Reports come back in the targets' order; the first failure fails the whole scan.
 */
public final class ParallelScans {
    private ParallelScans() {
    }

    /** How many Trivy processes at once: the machine's cores, at least one, at most eight. */
    public static int defaultParallelism() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    public static List<ScanReport> scan(Trivy trivy, List<ScanTargets.Target> targets, TrivyOptions options, TransportOptions transport,
                                        CredentialProvider credentials, int parallelism, Consumer<String> progress) {
        List<ScanReport> reports = new ArrayList<>();
        if (targets.isEmpty()) {
            return reports;
        }
        AtomicInteger started = new AtomicInteger();
        reports.add(scanOne(trivy, targets.get(0), options, transport, credentials, progress, started, targets.size()));
        if (targets.size() == 1) {
            return reports;
        }
        TrivyOptions rest = options.withoutDbUpdates();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, targets.size() - 1)), r -> {
            Thread t = new Thread(r, "imagegate-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ScanReport>> futures = new ArrayList<>();
            for (ScanTargets.Target target : targets.subList(1, targets.size())) {
                futures.add(pool.submit(() -> scanOne(trivy, target, rest, transport, credentials, progress, started, targets.size())));
            }
            for (Future<ScanReport> f : futures) {
                reports.add(await(f));
            }
            return reports;
        } finally {
            pool.shutdownNow();
        }
    }

    private static ScanReport scanOne(Trivy trivy, ScanTargets.Target target, TrivyOptions options, TransportOptions transport,
                                      CredentialProvider credentials, Consumer<String> progress, AtomicInteger started, int total) {
        progress.accept("scanning " + target.image() + target.platform().map(p -> " (" + p + ")").orElse("") + " ["
                + started.incrementAndGet() + "/" + total + "]");
        return trivy.scan(target.image(), java.util.Optional.empty(), options, transport, credentials);
    }

    private static ScanReport await(Future<ScanReport> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ImageGateException.of(ErrorKind.INTERRUPTED, "scan.interrupted", "the scan was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ImageGateException ige) {
                throw ige;
            }
            throw ImageGateException.internal("scan.failed", "a scan failed: {0}", String.valueOf(e.getCause())).withCause(e.getCause());
        }
    }
}
