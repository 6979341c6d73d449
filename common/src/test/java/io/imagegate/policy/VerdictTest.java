package io.imagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.scan.ScanReport;
import io.imagegate.scan.Trivy;
import io.imagegate.scan.TrivyOptions;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Verdicts on real scans: the real Trivy, the real registry, the fixture DB. */
@NeedsComponents
class VerdictTest {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static final Instant NOW = Instant.now();
    static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));
    static Trivy trivy;
    static ImageReference alpineRef;
    static ImageReference debianRef;
    static ScanReport alpine;
    static ScanReport debian;

    @BeforeAll
    static void scan() {
        Path cache = FixtureVulnerabilityDb.cacheDir();
        trivy = Trivy.locate(Optional.empty(), System.getenv(), cache, TEMP);
        Platform amd64 = Platform.parse("linux/amd64");
        TestImages.Image a =
                TestImages.alpine(
                        amd64,
                        List.<String[]>of(
                                new String[] {"openssl", "3.5.0-r0", "openssl"},
                                new String[] {"busybox", "1.37.0-r1", "busybox"}));
        TestImages.Image d =
                TestImages.debian(
                        amd64,
                        List.<String[]>of(
                                new String[] {"bash", "5.2.15-2+b7", "bash"},
                                new String[] {"zlib1g", "1:1.2.13.dfsg-1", "zlib"}));
        ImagePusher pusher = new ImagePusher(registry);
        pusher.push("base/alpine", "3.22", a);
        pusher.push("base/debian", "12", d);
        alpineRef = ImageReference.parse(registry.hostPort() + "/base/alpine@" + a.digest());
        debianRef = ImageReference.parse(registry.hostPort() + "/base/debian@" + d.digest());
        alpine =
                trivy.scan(
                        alpineRef,
                        Optional.empty(),
                        TrivyOptions.offline(cache),
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous());
        debian =
                trivy.scan(
                        debianRef,
                        Optional.empty(),
                        TrivyOptions.offline(cache),
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous());
    }

    private static Policy policy(
            Severity failOn, boolean ignoreUnfixed, String maxDbAge, AllowlistEntry... allow) {
        return new Policy(
                failOn,
                Map.of(),
                ignoreUnfixed,
                maxDbAge,
                null,
                List.of(allow),
                false,
                "sha256:test");
    }

    private static List<String> ids(List<Vulnerability> findings) {
        return findings.stream().map(v -> v.id() + " " + v.packageName()).toList();
    }

    /**
     * A scan that looked at no package and found nothing checked nothing: it fails, unless the
     * policy allows it.
     */
    @Test
    void aScanThatCheckedNothingFailsUnlessThePolicyAllowsIt() {
        Verdict v =
                PolicyEvaluator.evaluate(
                        Policy.defaults(),
                        alpineRef,
                        Optional.empty(),
                        List.of(),
                        0,
                        trivy.info(),
                        NOW);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.FAIL);
        assertThat(v.reasons())
                .singleElement()
                .asString()
                .contains("no OS package and no language package")
                .contains("allowEmptyScan: [{image: \"" + alpineRef.name() + "\"");
        Policy allowing =
                new Policy(
                        Severity.HIGH, Map.of(), false, null, null, List.of(), true, "sha256:test");
        assertThat(
                        PolicyEvaluator.evaluate(
                                        allowing,
                                        alpineRef,
                                        Optional.empty(),
                                        List.of(),
                                        0,
                                        trivy.info(),
                                        NOW)
                                .outcome())
                .isEqualTo(Verdict.Outcome.PASS);
        // Packages looked at and none vulnerable is a pass; so is judging findings (below the
        // threshold) with no package list.
        assertThat(
                        PolicyEvaluator.evaluate(
                                        Policy.defaults(),
                                        alpineRef,
                                        Optional.empty(),
                                        List.of(),
                                        1,
                                        trivy.info(),
                                        NOW)
                                .outcome())
                .isEqualTo(Verdict.Outcome.PASS);
        List<Vulnerability> low =
                alpine.vulnerabilities().stream()
                        .filter(f -> f.severity() == Severity.LOW)
                        .toList();
        assertThat(low).isNotEmpty();
        assertThat(
                        PolicyEvaluator.evaluate(
                                        Policy.defaults(),
                                        alpineRef,
                                        Optional.empty(),
                                        low,
                                        0,
                                        trivy.info(),
                                        NOW)
                                .outcome())
                .isEqualTo(Verdict.Outcome.PASS);
    }

    @Test
    void passesWhenNothingReachesTheSeverity() {
        Verdict v =
                PolicyEvaluator.evaluate(
                        policy(Severity.CRITICAL, false, null),
                        debianRef,
                        Optional.empty(),
                        debian.vulnerabilities(),
                        debian.packageCount(),
                        trivy.info(),
                        NOW);
        // debian: CVE-2099-1002 (HIGH, no fix) and CVE-2099-1003 (MEDIUM) only
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.PASS);
        assertThat(v.counts()).containsEntry(Severity.HIGH, 1).containsEntry(Severity.MEDIUM, 1);
        assertThat(v.reasons()).isEmpty();
    }

    @Test
    void failsOnSeverity() {
        Verdict v =
                PolicyEvaluator.evaluate(
                        Policy.defaults(),
                        alpineRef,
                        Optional.empty(),
                        alpine.vulnerabilities(),
                        alpine.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.FAIL);
        assertThat(ids(v.failing())).containsExactly("CVE-2099-0001 openssl");
        assertThat(v.reasons()).containsExactly("1 finding of severity HIGH or above");
        assertThat(v.scanner()).isEqualTo(trivy.info());
        assertThat(v.image()).isEqualTo(alpineRef);
    }

    @Test
    void passesByAllowlistWithTheReason() {
        AllowlistEntry entry =
                new AllowlistEntry(
                        "CVE-2099-0001",
                        "openssl",
                        registry.hostPort() + "/base/*",
                        "fixed in our build",
                        "2099-12-31");
        Verdict v =
                PolicyEvaluator.evaluate(
                        policy(Severity.HIGH, false, null, entry),
                        alpineRef,
                        Optional.empty(),
                        alpine.vulnerabilities(),
                        alpine.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.PASS);
        assertThat(v.allowlisted())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.finding().id()).isEqualTo("CVE-2099-0001");
                            assertThat(a.entry().reason()).isEqualTo("fixed in our build");
                        });
    }

    @Test
    void anAllowlistEntryForAnotherImageDoesNotApply() {
        AllowlistEntry entry =
                new AllowlistEntry(
                        "CVE-2099-0001", null, "other.example.com/*", "elsewhere", "2099-12-31");
        Verdict v =
                PolicyEvaluator.evaluate(
                        policy(Severity.HIGH, false, null, entry),
                        alpineRef,
                        Optional.empty(),
                        alpine.vulnerabilities(),
                        alpine.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.FAIL);
    }

    @Test
    void failsByAnExpiredAllowlistEntryAndReportsIt() {
        AllowlistEntry expired =
                new AllowlistEntry(
                        "CVE-2099-0001",
                        null,
                        null,
                        "was accepted until the fix shipped",
                        "2020-01-01");
        Verdict v =
                PolicyEvaluator.evaluate(
                        policy(Severity.HIGH, false, null, expired),
                        alpineRef,
                        Optional.empty(),
                        alpine.vulnerabilities(),
                        alpine.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.FAIL);
        assertThat(v.expiredEntries()).containsExactly(expired);
        assertThat(v.allowlisted()).isEmpty();
        assertThat(ids(v.failing())).containsExactly("CVE-2099-0001 openssl");
    }

    @Test
    void ignoreUnfixedDropsFindingsWithoutAFix() {
        Verdict strict =
                PolicyEvaluator.evaluate(
                        policy(Severity.HIGH, false, null),
                        debianRef,
                        Optional.empty(),
                        debian.vulnerabilities(),
                        debian.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(strict.outcome()).isEqualTo(Verdict.Outcome.FAIL);
        assertThat(ids(strict.failing())).containsExactly("CVE-2099-1002 bash");
        Verdict lenient =
                PolicyEvaluator.evaluate(
                        policy(Severity.HIGH, true, null),
                        debianRef,
                        Optional.empty(),
                        debian.vulnerabilities(),
                        debian.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(lenient.outcome()).isEqualTo(Verdict.Outcome.PASS);
        assertThat(lenient.counts()).doesNotContainKey(Severity.HIGH);
    }

    @Test
    void maxCountsFailWhenExceeded() {
        Policy p =
                new Policy(
                        Severity.CRITICAL,
                        Map.of(Severity.MEDIUM, 0, Severity.HIGH, 1),
                        false,
                        null,
                        null,
                        List.of(),
                        false,
                        "sha256:test");
        Verdict v =
                PolicyEvaluator.evaluate(
                        p,
                        debianRef,
                        Optional.empty(),
                        debian.vulnerabilities(),
                        debian.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.FAIL);
        assertThat(v.reasons()).containsExactly("1 MEDIUM findings, more than the 0 allowed");
        assertThat(ids(v.failing())).containsExactly("CVE-2099-1003 zlib1g");
    }

    @Test
    void aTooOldDatabaseFails() {
        Path oldCache = FixtureVulnerabilityDb.cacheDirUpdatedAt("2026-01-01T00:00:00Z");
        Trivy withOldDb = Trivy.locate(Optional.empty(), System.getenv(), oldCache, TEMP);
        ScanReport report =
                withOldDb.scan(
                        debianRef,
                        Optional.empty(),
                        TrivyOptions.offline(oldCache),
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous());
        Verdict v =
                PolicyEvaluator.evaluate(
                        policy(Severity.CRITICAL, false, "7d"),
                        debianRef,
                        Optional.empty(),
                        report.vulnerabilities(),
                        report.packageCount(),
                        withOldDb.info(),
                        NOW);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.FAIL);
        assertThat(v.reasons())
                .singleElement()
                .asString()
                .contains("vulnerability DB was updated 2026-01-01T00:00:00Z")
                .contains("7d");
        Verdict fresh =
                PolicyEvaluator.evaluate(
                        policy(Severity.CRITICAL, false, "7d"),
                        debianRef,
                        Optional.empty(),
                        debian.vulnerabilities(),
                        debian.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(fresh.outcome()).isEqualTo(Verdict.Outcome.PASS);
    }

    @Test
    void verdictsAreDeterministic() {
        Verdict a =
                PolicyEvaluator.evaluate(
                        Policy.defaults(),
                        alpineRef,
                        Optional.empty(),
                        alpine.vulnerabilities(),
                        alpine.packageCount(),
                        trivy.info(),
                        NOW);
        Verdict b =
                PolicyEvaluator.evaluate(
                        Policy.defaults(),
                        alpineRef,
                        Optional.empty(),
                        alpine.vulnerabilities(),
                        alpine.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void everyReportedFindingIsJudged() {
        Policy p =
                policy(
                        Severity.HIGH,
                        true,
                        null,
                        new AllowlistEntry("CVE-2099-0004", null, null, "low risk", "2099-12-31"));
        Verdict v =
                PolicyEvaluator.evaluate(
                        p,
                        alpineRef,
                        Optional.empty(),
                        alpine.vulnerabilities(),
                        alpine.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(v.findings()).hasSize(alpine.vulnerabilities().size());
        assertThat(v.findings())
                .extracting(j -> j.finding().id() + " " + j.status())
                .containsExactlyInAnyOrder(
                        "CVE-2099-0001 FAILING",
                        "CVE-2099-0002 BELOW_THRESHOLD",
                        "CVE-2099-0004 ALLOWLISTED");
        assertThat(v.reportedCounts())
                .containsEntry(Severity.CRITICAL, 1)
                .containsEntry(Severity.MEDIUM, 1)
                .containsEntry(Severity.LOW, 1);
        Verdict debianVerdict =
                PolicyEvaluator.evaluate(
                        p,
                        debianRef,
                        Optional.empty(),
                        debian.vulnerabilities(),
                        debian.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(debianVerdict.findings())
                .extracting(j -> j.finding().id() + " " + j.status())
                .contains("CVE-2099-1002 IGNORED_UNFIXED");
    }

    private static Policy parsed(String yaml) {
        return Policy.parse(
                yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), Path.of("p.yaml"), false);
    }

    private static Verdict empty(Policy policy, String scanned, String vettedFor) {
        return PolicyEvaluator.evaluate(
                policy,
                ImageReference.parse(scanned + "@" + alpineRef.digest().orElseThrow()),
                Optional.ofNullable(vettedFor).map(ImageReference::parse),
                Optional.empty(),
                List.of(),
                0,
                trivy.info(),
                NOW);
    }

    /**
     * allowEmptyScan per image: the entry's image passes with its reason recorded, every other
     * image that scans empty still fails, and an expired entry is named.
     */
    @Test
    void anEmptyScanPassesOnlyForTheImagesThePolicyAllowsWithTheReason() {
        Policy policy =
                parsed(
                        """
                allowEmptyScan:
                  - image: "registry.example.com/base/dockerfile*"
                    reason: BuildKit's Dockerfile frontend, a static binary
                  - image: registry.example.com/base/old
                    reason: retired
                    expires: 2020-01-31
                """);
        Verdict allowed = empty(policy, "registry.example.com/base/dockerfile", null);
        assertThat(allowed.outcome())
                .as(allowed.reasons().toString())
                .isEqualTo(Verdict.Outcome.PASS);
        assertThat(allowed.emptyScanAllowedBy())
                .hasValueSatisfying(
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(
                                                "BuildKit's Dockerfile frontend, a static binary"));
        assertThat(io.imagegate.report.ScanReports.text(List.of(allowed)))
                .anySatisfy(
                        line ->
                                assertThat(line)
                                        .contains(
                                                "allowEmptyScan registry.example.com/base/dockerfile*")
                                        .contains("a static binary"));

        Verdict other = empty(policy, "registry.example.com/base/app", null);
        assertThat(other.outcome()).isEqualTo(Verdict.Outcome.FAIL);
        assertThat(other.emptyScanAllowedBy()).isEmpty();
        assertThat(other.reasons())
                .singleElement()
                .asString()
                .contains("nothing was checked")
                .contains("allowEmptyScan: [{image: \"registry.example.com/base/app\"");

        Verdict expired = empty(policy, "registry.example.com/base/old", null);
        assertThat(expired.outcome()).isEqualTo(Verdict.Outcome.FAIL);
        assertThat(expired.reasons())
                .singleElement()
                .asString()
                .contains(
                        "the allowEmptyScan entry for registry.example.com/base/old expired on 2020-01-31");

        // the older policy-wide form still allows every image, and says so
        Verdict everyImage =
                empty(parsed("allowEmptyScan: true\n"), "registry.example.com/x/y", null);
        assertThat(everyImage.outcome()).isEqualTo(Verdict.Outcome.PASS);
        assertThat(everyImage.emptyScanAllowedBy().orElseThrow().reason())
                .contains("allowEmptyScan: true");
    }

    /**
     * A vet scans the quarantine copy: an entry written for the trusted name it is vetted for
     * applies to it (allowEmptyScan and allowlist alike), and only for that name.
     */
    @Test
    void imageGlobsMatchTheTrustedNameAnImageIsVettedFor() {
        Policy policy =
                parsed(
                        """
                allowEmptyScan:
                  - image: "registry.example.com/base/*"
                    reason: static binaries only under base
                allowlist:
                  - id: CVE-2099-0001
                    image: "registry.example.com/base/*"
                    reason: not reachable in our use
                    expires: 2099-12-31
                """);
        String quarantine = "registry.example.com/quarantine/base/frontend";
        assertThat(empty(policy, quarantine, null).outcome()).isEqualTo(Verdict.Outcome.FAIL);
        assertThat(empty(policy, quarantine, "registry.example.com/base/frontend:1").outcome())
                .isEqualTo(Verdict.Outcome.PASS);
        assertThat(empty(policy, quarantine, "registry.example.com/apps/frontend:1").outcome())
                .isEqualTo(Verdict.Outcome.FAIL);

        ImageReference inQuarantine =
                ImageReference.parse(
                        "registry.example.com/quarantine/base/alpine@"
                                + alpineRef.digest().orElseThrow());
        Verdict scanned =
                PolicyEvaluator.evaluate(
                        policy,
                        inQuarantine,
                        Optional.empty(),
                        alpine.vulnerabilities(),
                        alpine.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(scanned.outcome()).isEqualTo(Verdict.Outcome.FAIL);
        Verdict vetted =
                PolicyEvaluator.evaluate(
                        policy,
                        inQuarantine,
                        Optional.of(ImageReference.parse("registry.example.com/base/alpine:3.22")),
                        Optional.empty(),
                        alpine.vulnerabilities(),
                        alpine.packageCount(),
                        trivy.info(),
                        NOW);
        assertThat(vetted.outcome())
                .as(vetted.reasons().toString())
                .isEqualTo(Verdict.Outcome.PASS);
        assertThat(vetted.allowlisted())
                .extracting(a -> a.entry().reason())
                .containsExactly("not reachable in our use");
        assertThat(vetted.image())
                .as("the verdict is about what was scanned")
                .isEqualTo(inQuarantine);
    }

    /**
     * The allowlist is a set: of two live entries that accept a finding, the one that lasts longest
     * is recorded, whichever is written first (so reordering them keeps the policy's identity and
     * its verdicts).
     */
    @Test
    void theAllowlistEntryRecordedDoesNotDependOnTheOrderOfEntries() {
        String shortLived =
                "  - id: CVE-2099-0001\n    reason: until the fix\n    expires: 2098-01-31\n";
        String longLived =
                "  - id: CVE-2099-0001\n    reason: not reachable\n    expires: 2099-12-31\n";
        for (String yaml :
                List.of(
                        "allowlist:\n" + shortLived + longLived,
                        "allowlist:\n" + longLived + shortLived)) {
            Verdict v =
                    PolicyEvaluator.evaluate(
                            parsed(yaml),
                            alpineRef,
                            Optional.empty(),
                            alpine.vulnerabilities(),
                            alpine.packageCount(),
                            trivy.info(),
                            NOW);
            assertThat(v.allowlisted())
                    .extracting(a -> a.entry().expires())
                    .containsExactly("2099-12-31");
        }
    }
}
