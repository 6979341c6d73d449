package io.imagegate.api;

import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.policy.Policy;
import io.imagegate.policy.SignaturePolicy;
import io.imagegate.policy.Verdict;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.TransportListener;
import io.imagegate.report.ScanReports;
import io.imagegate.scan.ScanScheduler;
import io.imagegate.scan.ScanTargets;
import io.imagegate.scan.Trivy;
import io.imagegate.scan.TrivyOptions;
import io.imagegate.trust.UpstreamSignatures;
import io.imagegate.vetting.Vetter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The scan operation, and the pieces vetting shares with it. */
final class Scanning {
    private final ImageGate gate;

    Scanning(ImageGate gate) {
        this.gate = gate;
    }

    ScanResult scan(ScanSpec spec, ProgressListener progress) {
        Environment env = gate.settings().environment();
        ImageReference image = Specs.reference(Field.IMAGE, spec.image());
        ScanTargets.Resolved resolved;
        Policy policy;
        Trivy trivy;
        Optional<Verdict> unsigned = Optional.empty();
        // The image is resolved while the policy loads and Trivy is found (which may mean a `trivy
        // version` run): the
        // registry's answer is off the critical path. A mistake in the policy or Trivy is still the
        // error reported.
        try (RegistryClient client = gate.client(TransportListener.NONE)) {
            Future<ScanTargets.Resolved> resolving =
                    RESOLVER.submit(() -> ScanTargets.resolve(client, image));
            try {
                policy = policy(env, spec.policy());
                trivy = trivy(env, spec.trivy(), progress);
            } catch (RuntimeException e) {
                // Cut off, and waited for, so nothing of this scan outlives its error.
                client.cancel();
                try {
                    resolving.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException
                        | java.util.concurrent.TimeoutException
                        | RuntimeException ignored) {
                    resolving.cancel(true);
                } catch (InterruptedException interrupted) {
                    resolving.cancel(true);
                    Thread.currentThread().interrupt();
                }
                throw e;
            }
            resolved = await(resolving);
            // A policy that requires signatures judges the image by them first, as vet does:
            // without one, no scan.
            if (policy.signaturePolicy().isPresent()) {
                SignaturePolicy wanted = policy.signaturePolicy().get();
                ImageReference pinned = image.withDigest(resolved.digest());
                UpstreamSignatures.Result checked =
                        Vetter.checkSignatures(
                                client,
                                pinned,
                                wanted,
                                line -> progress.info(Message.neutralize(line)));
                if (!checked.verified() && wanted.required()) {
                    unsigned =
                            Optional.of(
                                    Verdict.notScanned(
                                            pinned,
                                            policy.digest(),
                                            Instant.now(),
                                            checked.reason().orElseThrow()));
                }
            }
        }
        // Trivy's own reports are kept only to be written beside imagegate's.
        Vetter.Judged judged =
                unsigned.isPresent()
                        ? new Vetter.Judged(List.of(unsigned.get()), List.of())
                        : Vetter.judge(
                                ScanScheduler.forThisMachine(),
                                trivy,
                                resolved,
                                spec.trivy()
                                        .options(env)
                                        .keepingJson(writesReports(spec.reportDir())),
                                gate.transport(),
                                gate.credentials(),
                                line -> progress.info(Message.neutralize(line)),
                                policy,
                                Instant.now());
        List<Verdict> verdicts = judged.verdicts();
        List<String> reports =
                writeReports(env, spec.reportDir(), image.withDigest(resolved.digest()), judged);
        return new ScanResult(
                verdicts.stream().allMatch(Verdict::passed)
                        ? Outcome.PASSED
                        : Outcome.POLICY_FAILED,
                Optional.empty(),
                spec.image(),
                resolved.digest().toString(),
                summaries(verdicts),
                reports,
                unsigned.isPresent()
                        ? "none (refused before any scan)"
                        : trivy.info().name() + " " + trivy.info().version(),
                ScanReports.text(verdicts));
    }

    /** Resolves images beside the calling thread; daemon threads, gone when idle. */
    private static final ExecutorService RESOLVER =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "imagegate-resolve");
                        t.setDaemon(true);
                        return t;
                    });

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw ImageGateException.of(
                    ErrorKind.INTERRUPTED, "scan.interrupted", "the scan was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw ImageGate.internal(e.getCause());
        }
    }

    static Policy policy(Environment env, String file) {
        return file == null || file.isBlank()
                ? Policy.defaults()
                : Policy.load(Path.of(env.workingDirectory()).resolve(file));
    }

    static Trivy trivy(Environment env, TrivySettings settings, ProgressListener progress) {
        TrivyOptions options = settings.options(env);
        Trivy trivy =
                Trivy.locate(
                        settings.binary(env),
                        env.variables(),
                        options.cacheDir(),
                        Path.of(env.tempDirectory()),
                        Optional.of(
                                Path.of(
                                        env.homeDirectory(),
                                        ".cache",
                                        "imagegate",
                                        "trivy-versions.json")));
        progress.info(Message.neutralize(trivy.describe().toString()));
        return trivy;
    }

    static boolean writesReports(String reportDir) {
        return reportDir != null && !reportDir.isBlank();
    }

    /**
     * The reports of {@code image}'s verdicts, and Trivy's own reports of its scans, in {@code
     * reportDir}, in files named after the image; none without a directory, and none without a
     * verdict (an image already vetted): empty reports would replace those of the vet that judged
     * it.
     */
    static List<String> writeReports(
            Environment env, String reportDir, ImageReference image, Vetter.Judged judged) {
        if (!writesReports(reportDir) || judged.verdicts().isEmpty()) {
            return List.of();
        }
        return ScanReports.writeAll(
                        Path.of(env.workingDirectory()).resolve(reportDir),
                        image,
                        judged.verdicts(),
                        judged.trivyJson())
                .stream()
                .map(Path::toString)
                .toList();
    }

    static List<VerdictSummary> summaries(List<Verdict> verdicts) {
        return verdicts.stream().map(Scanning::summary).toList();
    }

    static VerdictSummary summary(Verdict v) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            counts.put(s.name(), v.counts().getOrDefault(s, 0));
        }
        List<FindingSummary> findings =
                v.findings().stream()
                        .map(
                                j ->
                                        finding(
                                                j.finding(),
                                                j.status()
                                                        .name()
                                                        .toLowerCase(Locale.ROOT)
                                                        .replace('_', '-'),
                                                j.entry().map(e -> e.reason()).orElse("")))
                        .toList();
        return new VerdictSummary(
                v.image().toString(),
                v.platform().map(Object::toString).orElse(""),
                v.outcome().name(),
                counts,
                v.reasons(),
                findings,
                v.policyDigest(),
                v.scanner().name() + " " + v.scanner().version(),
                v.dbUpdatedAt().orElse(""),
                v.time().toString());
    }

    static FindingSummary finding(Vulnerability f, String judgement, String reason) {
        return new FindingSummary(
                f.id(),
                f.packageName(),
                f.installedVersion(),
                f.fixedVersion().orElse(""),
                f.severity().name(),
                judgement,
                reason);
    }
}
