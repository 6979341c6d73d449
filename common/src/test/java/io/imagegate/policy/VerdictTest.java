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
                .contains("allowEmptyScan: true");
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
}
