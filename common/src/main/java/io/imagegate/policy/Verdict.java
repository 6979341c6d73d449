package io.imagegate.policy;

import io.imagegate.finding.ScannerInfo;
import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The judgement of one image (one platform of it) against a policy. Deterministic: the same
 * findings, policy and time give the same verdict, with findings in a fixed order (severity, then
 * ID, then package).
 *
 * @param outcome PASS or FAIL
 * @param image the image, by digest
 * @param platform the platform scanned, for a multi-arch image
 * @param policyDigest the policy's canonical digest ({@link CanonicalPolicy})
 * @param scanner the scanner that produced the findings, and its DB's age
 * @param time when the judgement was made
 * @param counts findings counted by the policy (not allowlisted, not ignored), by severity
 * @param findings every finding the scanner reported, each with how the policy judged it
 * @param expiredEntries allowlist entries that matched a finding but have expired (not honoured)
 * @param reasons why it failed, one line each (empty on PASS)
 * @param emptyScanAllowedBy the policy's allowEmptyScan entry that let an empty scan pass
 */
public record Verdict(
        Outcome outcome,
        ImageReference image,
        Optional<Platform> platform,
        String policyDigest,
        ScannerInfo scanner,
        Instant time,
        Map<Severity, Integer> counts,
        List<Judged> findings,
        List<AllowlistEntry> expiredEntries,
        List<String> reasons,
        Optional<EmptyScanEntry> emptyScanAllowedBy) {
    public enum Outcome {
        PASS,
        FAIL
    }

    /** How the policy judged one finding. */
    public enum Status {
        /** It fails the policy (its severity, or a count over the limit). */
        FAILING,
        /** A live allowlist entry accepts it. */
        ALLOWLISTED,
        /** Counted, but below the failing severity and within the counts allowed. */
        BELOW_THRESHOLD,
        /** Not counted: it has no fix and the policy ignores unfixed findings. */
        IGNORED_UNFIXED
    }

    /** A finding, its status, and the entry that accepted it when allowlisted. */
    public record Judged(Vulnerability finding, Status status, Optional<AllowlistEntry> entry) {}

    /** A finding and the entry that accepted it. */
    public record Allowed(Vulnerability finding, AllowlistEntry entry) {}

    public Verdict {
        counts = Map.copyOf(counts);
        findings = List.copyOf(findings);
        expiredEntries = List.copyOf(expiredEntries);
        reasons = List.copyOf(reasons);
    }

    /**
     * A FAIL reached before any scan, for {@code reason} (upstream signatures that do not verify):
     * no scanner ran, so there are no findings and no counts, and nothing about its vulnerabilities
     * is claimed.
     */
    public static Verdict notScanned(
            ImageReference image, String policyDigest, Instant time, String reason) {
        return new Verdict(
                Outcome.FAIL,
                image,
                Optional.empty(),
                policyDigest,
                ScannerInfo.NONE,
                time,
                Map.of(),
                List.of(),
                List.of(),
                List.of(reason),
                Optional.empty());
    }

    public boolean passed() {
        return outcome == Outcome.PASS;
    }

    /** The findings that fail the policy. */
    public List<Vulnerability> failing() {
        return findings.stream()
                .filter(j -> j.status() == Status.FAILING)
                .map(Judged::finding)
                .toList();
    }

    /** Findings accepted by a live allowlist entry, with it. */
    public List<Allowed> allowlisted() {
        return findings.stream()
                .filter(j -> j.status() == Status.ALLOWLISTED)
                .map(j -> new Allowed(j.finding(), j.entry().orElseThrow()))
                .toList();
    }

    /**
     * Every finding by severity, as the scanner reported them (equal to the scanner's own counts).
     */
    public Map<Severity, Integer> reportedCounts() {
        Map<Severity, Integer> out = new EnumMap<>(Severity.class);
        findings.forEach(j -> out.merge(j.finding().severity(), 1, Integer::sum));
        return out;
    }

    /** The vulnerability DB's update time, if the scanner said. */
    public Optional<String> dbUpdatedAt() {
        return scanner.dbUpdatedAt();
    }
}
