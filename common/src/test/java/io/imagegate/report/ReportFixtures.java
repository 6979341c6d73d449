package io.imagegate.report;

import io.imagegate.finding.ScannerInfo;
import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.oci.Platform;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyEvaluator;
import io.imagegate.policy.Verdict;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A multi-arch image whose verdicts hold every judgement: a failing CRITICAL, an allowlisted HIGH,
 * below-threshold MEDIUM, LOW and UNKNOWN findings, an ignored unfixed HIGH, an expired allowlist
 * entry, and a package name and version long enough to push a careless layout off the page;
 * optionally many more LOW findings, as a big scan has.
 */
final class ReportFixtures {
    static final ImageReference INDEX =
            ImageReference.parse("registry.example.com:5000/team/app:1.0")
                    .withDigest(Digest.parse("sha256:" + "a".repeat(64)));
    static final String REASON = "the vulnerable code path is not built into our images";
    static final String EXPIRES = "2099-12-31";
    static final String LONG_PACKAGE = "lib" + "verylongpackagename".repeat(8);
    static final String LONG_VERSION = "1.2.3+" + "build.".repeat(20) + "r0";

    private static final Policy POLICY =
            Policy.parse(
                    ("""
            failOn: HIGH
            ignoreUnfixed: true
            allowlist:
              - id: CVE-2099-0002
                reason: %s
                expires: %s
              - id: CVE-2099-0003
                reason: accepted once
                expires: 2000-01-01
            """
                                    .formatted(REASON, EXPIRES))
                            .getBytes(StandardCharsets.UTF_8),
                    Path.of("policy.yaml"),
                    false);

    private ReportFixtures() {}

    static Vulnerability finding(
            String id, String pkg, String version, String fix, Severity severity) {
        return new Vulnerability(
                id,
                pkg,
                version,
                Optional.ofNullable(fix),
                fix == null ? "affected" : "fixed",
                severity,
                severity == Severity.UNKNOWN
                        ? Optional.empty()
                        : Optional.of(severity.ordinal() * 2.0 + 1.5),
                "<b>" + id + "</b> title",
                "https://nvd.nist.gov/vuln/detail/" + id,
                Optional.empty());
    }

    /** The six findings of every judgement, the same on each platform. */
    static List<Vulnerability> everyJudgement() {
        return List.of(
                finding("CVE-2099-0001", "openssl", "3.5.1-r0", "3.5.2-r0", Severity.CRITICAL),
                finding("CVE-2099-0002", "libcurl", "8.0.0-r0", "8.0.1-r0", Severity.HIGH),
                finding("CVE-2099-0003", "zlib", "1.3-r0", "1.3.1-r0", Severity.MEDIUM),
                finding("CVE-2099-0004", LONG_PACKAGE, LONG_VERSION, "9", Severity.LOW),
                finding("CVE-2099-0005", "musl", "1.2.5-r0", null, Severity.HIGH),
                finding("CVE-2099-0006", "busybox", "1.36-r0", "1.37-r0", Severity.UNKNOWN));
    }

    /**
     * Verdicts of linux/amd64 (every judgement, plus {@code extraLow} more LOW findings) and
     * linux/arm64/v8 (the six).
     */
    static List<Verdict> verdicts(int extraLow) {
        List<Vulnerability> amd64 = new ArrayList<>(everyJudgement());
        for (int i = 0; i < extraLow; i++) {
            amd64.add(
                    finding(
                            "CVE-2098-%05d".formatted(i),
                            "pkg" + i,
                            "1.0-r" + i,
                            "1.1",
                            Severity.LOW));
        }
        return List.of(
                verdict("linux/amd64", 'b', amd64),
                verdict("linux/arm64/v8", 'c', everyJudgement()));
    }

    static Verdict verdict(String platform, char digit, List<Vulnerability> findings) {
        ImageReference image =
                ImageReference.parse("registry.example.com:5000/team/app:1.0")
                        .withDigest(Digest.parse("sha256:" + String.valueOf(digit).repeat(64)));
        return PolicyEvaluator.evaluate(
                POLICY,
                image,
                Optional.of(Platform.parse(platform)),
                findings,
                40,
                new ScannerInfo(
                        "trivy", "0.74.0", Optional.of("2026-11-28T06:00:00Z"), Optional.empty()),
                Instant.parse("2026-11-29T00:00:00Z"));
    }
}
