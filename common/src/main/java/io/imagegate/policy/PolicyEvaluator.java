package io.imagegate.policy;

import io.imagegate.finding.ScannerInfo;
import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Judges a scan against a policy. Trivy only produces data; this is where imagegate decides. */
public final class PolicyEvaluator {
    private static final Comparator<Vulnerability> ORDER =
            Comparator.comparing(Vulnerability::severity)
                    .reversed()
                    .thenComparing(Vulnerability::id)
                    .thenComparing(Vulnerability::packageName)
                    .thenComparing(Vulnerability::installedVersion);

    /**
     * Allowlist entries by how long they last, then by what they say: an order that does not depend
     * on the order they are written in.
     */
    private static final Comparator<AllowlistEntry> LASTING =
            Comparator.comparing(AllowlistEntry::expires)
                    .thenComparing(AllowlistEntry::id)
                    .thenComparing(e -> String.valueOf(e.packagePattern()))
                    .thenComparing(e -> String.valueOf(e.imagePattern()))
                    .thenComparing(AllowlistEntry::reason);

    private PolicyEvaluator() {}

    /**
     * Judges {@code reported}, the findings of a scan that looked at {@code packagesScanned}
     * packages. A scan that looked at none and found nothing checked nothing: it fails unless the
     * policy allows empty scans of this image.
     */
    public static Verdict evaluate(
            Policy policy,
            ImageReference image,
            Optional<Platform> platform,
            List<Vulnerability> reported,
            int packagesScanned,
            ScannerInfo scanner,
            Instant now) {
        return evaluate(
                policy, image, Optional.empty(), platform, reported, packagesScanned, scanner, now);
    }

    /**
     * As above, for an image scanned as {@code image} and vetted for the trusted name {@code
     * vettedFor} (a vet scans the quarantine copy): the policy's image globs (allowlist entries,
     * allowEmptyScan entries) match either name, so an entry written for the trusted name applies
     * to what is vetted for it.
     */
    public static Verdict evaluate(
            Policy policy,
            ImageReference image,
            Optional<ImageReference> vettedFor,
            Optional<Platform> platform,
            List<Vulnerability> reported,
            int packagesScanned,
            ScannerInfo scanner,
            Instant now) {
        List<ImageReference> names = new ArrayList<>();
        names.add(image);
        vettedFor.ifPresent(names::add);
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        List<Vulnerability> all = reported.stream().sorted(ORDER).toList();
        List<Vulnerability> findings =
                all.stream().filter(v -> !policy.ignoresUnfixed() || v.hasFix()).toList();
        List<Vulnerability> counted = new ArrayList<>();
        java.util.Map<Vulnerability, AllowlistEntry> allowed = new java.util.IdentityHashMap<>();
        Set<AllowlistEntry> expired = new LinkedHashSet<>();
        for (Vulnerability finding : findings) {
            // Of the live entries that accept it, the one that lasts longest, whatever the order
            // they are written in: the allowlist is a set (CanonicalPolicy).
            Optional<AllowlistEntry> live = Optional.empty();
            for (AllowlistEntry entry : policy.allowlist()) {
                if (entry.matches(finding, names)) {
                    if (entry.isExpired(today)) {
                        expired.add(entry);
                    } else if (live.isEmpty() || LASTING.compare(entry, live.get()) > 0) {
                        live = Optional.of(entry);
                    }
                }
            }
            if (live.isPresent()) {
                allowed.put(finding, live.get());
            } else {
                counted.add(finding);
            }
        }
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        counted.forEach(v -> counts.merge(v.severity(), 1, Integer::sum));

        List<String> reasons = new ArrayList<>();
        Set<Vulnerability> failing =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Vulnerability> overSeverity =
                counted.stream().filter(v -> v.severity().atLeast(policy.failOn())).toList();
        if (!overSeverity.isEmpty()) {
            failing.addAll(overSeverity);
            reasons.add(
                    overSeverity.size()
                            + " finding"
                            + (overSeverity.size() == 1 ? "" : "s")
                            + " of severity "
                            + policy.failOn()
                            + " or above");
        }
        for (Map.Entry<Severity, Integer> limit :
                new java.util.TreeMap<>(policy.maxCounts()).entrySet()) {
            int count = counts.getOrDefault(limit.getKey(), 0);
            if (count > limit.getValue()) {
                counted.stream().filter(v -> v.severity() == limit.getKey()).forEach(failing::add);
                reasons.add(
                        count
                                + " "
                                + limit.getKey()
                                + " findings, more than the "
                                + limit.getValue()
                                + " allowed");
            }
        }
        Optional<EmptyScanEntry> emptyAllowed = Optional.empty();
        if (packagesScanned <= 0 && reported.isEmpty()) {
            emptyAllowed = policy.emptyScans().allowing(names, today);
            if (emptyAllowed.isEmpty()) {
                List<EmptyScanEntry> lapsed = policy.emptyScans().expired(names, today);
                reasons.add(
                        "Trivy found no OS package and no language package in it, so nothing was"
                                + " checked; "
                                + (lapsed.isEmpty()
                                        ? "if that is expected (a scratch image, a static binary),"
                                                + " allow its image in the policy with the reason:"
                                                + " allowEmptyScan: [{image: \""
                                                + names.get(names.size() - 1).name()
                                                + "\", reason: …}]"
                                        : "the allowEmptyScan entry for "
                                                + lapsed.get(0).imagePattern()
                                                + " expired on "
                                                + lapsed.get(0).expires()));
            }
        }
        Optional<Duration> maxAge = policy.maxDbAgeDuration();
        if (maxAge.isPresent()) {
            Optional<Instant> updated = scanner.dbUpdatedAt().flatMap(PolicyEvaluator::instant);
            if (updated.isEmpty()) {
                reasons.add(
                        "the vulnerability DB's age is unknown, and the policy limits it to "
                                + policy.maxDbAge());
            } else if (Duration.between(updated.get(), now).compareTo(maxAge.get()) > 0) {
                reasons.add(
                        "the vulnerability DB was updated "
                                + updated.get()
                                + ", longer ago than the policy's "
                                + policy.maxDbAge()
                                + "; update it (trivy image --download-db-only) and scan again");
            }
        }
        // Expired entries are reported; they fail the image only through the findings they no
        // longer cover.
        Set<Vulnerability> failingSet =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        failingSet.addAll(failing);
        Set<Vulnerability> countedSet =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        countedSet.addAll(counted);
        List<Verdict.Judged> judged = new ArrayList<>();
        for (Vulnerability v : all) {
            Verdict.Status status =
                    failingSet.contains(v)
                            ? Verdict.Status.FAILING
                            : allowed.containsKey(v)
                                    ? Verdict.Status.ALLOWLISTED
                                    : countedSet.contains(v)
                                            ? Verdict.Status.BELOW_THRESHOLD
                                            : Verdict.Status.IGNORED_UNFIXED;
            judged.add(new Verdict.Judged(v, status, Optional.ofNullable(allowed.get(v))));
        }
        return new Verdict(
                reasons.isEmpty() ? Verdict.Outcome.PASS : Verdict.Outcome.FAIL,
                image,
                platform,
                policy.digest(),
                scanner,
                now,
                counts,
                judged,
                expired.stream().sorted(LASTING).toList(),
                reasons,
                emptyAllowed);
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
