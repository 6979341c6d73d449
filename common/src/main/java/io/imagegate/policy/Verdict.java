package io.imagegate.policy;

import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.scan.Severity;
import io.imagegate.scan.Vulnerability;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The judgement of one image (one platform of it) against a policy. Deterministic: the same report, policy
 * and time give the same verdict, with findings in a fixed order (severity, then ID, then package).
 *
 * @param outcome            PASS or FAIL
 * @param image              the image, by digest
 * @param platform           the platform scanned, for a multi-arch image
 * @param policyDigest       sha256 of the policy file's bytes
 * @param trivyVersion       the Trivy that produced the findings
 * @param dbUpdatedAt        when its vulnerability DB was updated
 * @param time               when the judgement was made
 * @param counts             findings counted by the policy (not allowlisted), by severity
 * @param failing            the findings that fail the policy
 * @param allowlisted        findings accepted by a live allowlist entry, with it
 * @param expiredEntries     allowlist entries that matched a finding but have expired (not honoured)
 * @param reasons            why it failed, one line each (empty on PASS)
 */
public record Verdict(Outcome outcome, ImageReference image, Optional<Platform> platform, String policyDigest, String trivyVersion,
                      Optional<String> dbUpdatedAt, Instant time, Map<Severity, Integer> counts, List<Vulnerability> failing,
                      List<Allowed> allowlisted, List<AllowlistEntry> expiredEntries, List<String> reasons) {
    public enum Outcome { PASS, FAIL }

    /** A finding and the entry that accepted it. */
    public record Allowed(Vulnerability finding, AllowlistEntry entry) {
    }

    public Verdict {
        counts = Map.copyOf(counts);
        failing = List.copyOf(failing);
        allowlisted = List.copyOf(allowlisted);
        expiredEntries = List.copyOf(expiredEntries);
        reasons = List.copyOf(reasons);
    }

    public boolean passed() {
        return outcome == Outcome.PASS;
    }
}
