package io.imagegate.api;

import java.util.List;
import java.util.Map;

/**
 * The verdict on one image (one platform of it), as plain values.
 *
 * @param image the image, by digest
 * @param platform the platform, for a multi-arch image; else empty
 * @param verdict PASS or FAIL
 * @param counts findings counted by the policy, by severity
 * @param reasons why it failed (empty on PASS)
 * @param findings every finding, with its judgement
 * @param policyDigest the policy's digest
 * @param scanner the scanner and its version, e.g. {@code trivy 0.74.0}
 * @param dbUpdatedAt when the scanner's vulnerability DB was updated, or empty
 * @param time when the verdict was made (ISO-8601)
 */
public record VerdictSummary(
        String image,
        String platform,
        String verdict,
        Map<String, Integer> counts,
        List<String> reasons,
        List<FindingSummary> findings,
        String policyDigest,
        String scanner,
        String dbUpdatedAt,
        String time) {
    public VerdictSummary {
        counts = Map.copyOf(counts);
        reasons = List.copyOf(reasons);
        findings = List.copyOf(findings);
    }

    public boolean passed() {
        return verdict.equals("PASS");
    }

    public List<FindingSummary> failing() {
        return findings.stream().filter(f -> f.judgement().equals("failing")).toList();
    }
}
