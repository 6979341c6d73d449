package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.FindingSummary;
import io.imagegate.api.GateResult;
import io.imagegate.api.ImportResult;
import io.imagegate.api.Outcome;
import io.imagegate.api.RewriteResult;
import io.imagegate.api.ScanResult;
import io.imagegate.api.UpdateResult;
import io.imagegate.api.VerdictSummary;
import io.imagegate.api.VetResult;
import io.imagegate.message.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What crosses between controller and agent, and what XStream writes into {@code build.xml}, is
 * only this module's plain classes and JDK values Jenkins' class filter accepts (jenkins-2.541.3,
 * {@code core/src/main/resources/jenkins/security/whitelisted-classes.txt}; enums are always
 * accepted). The module's jar carries {@code Jenkins-ClassFilter-Whitelisted: true} for its own
 * classes.
 */
class SerializationTest {
    /** JDK classes named in Jenkins' whitelisted-classes.txt that these values use. */
    private static final Set<String> JDK_WHITELISTED =
            Set.of(
                    "java.lang.String",
                    "java.lang.Boolean",
                    "java.lang.Integer",
                    "java.lang.Long",
                    "java.lang.Number",
                    "java.lang.Enum",
                    "java.util.ArrayList",
                    "java.util.LinkedHashMap",
                    "java.util.HashMap",
                    "java.util.TreeMap",
                    "java.util.CollSer");

    private static void assertOnlyAcceptedClasses(Object value) {
        for (Class<?> c : Serialization.classesIn(value)) {
            boolean ours = c.getName().startsWith("io.imagegate.jenkins.");
            assertThat(ours || c.isEnum() || c.isArray() || JDK_WHITELISTED.contains(c.getName()))
                    .as(c.getName() + " in " + value)
                    .isTrue();
            assertThat(c.isRecord()).as(c.getName() + " is a record").isFalse();
        }
    }

    @Test
    void theRequestAndItsParametersCrossWithTheirValues() {
        VetParameters p = new VetParameters("alpine:3.20");
        p.setTarget("r.example/base/alpine:3.20");
        p.setPlatforms(List.of("linux/amd64"));
        p.setSourceCredentialsId("docker.io=hub");
        p.setUnstable(true);
        AgentRequest request =
                new AgentRequest(
                        p,
                        CredentialValues.of(
                                List.of(
                                        CredentialValue.usernamePassword(
                                                "hub", "u", "p4ss", true))),
                        Map.of("PATH", "/usr/bin"),
                        "/ws@tmp");
        assertOnlyAcceptedClasses(request);

        AgentRequest back = Serialization.roundTrip(request);
        VetParameters q = (VetParameters) back.parameters();
        assertThat(q.getTarget()).isEqualTo("r.example/base/alpine:3.20");
        assertThat(q.getPlatforms()).containsExactly("linux/amd64");
        assertThat(q.isUnstable()).isTrue();
        assertThat(back.credentials().registryRef("hub"))
                .isEqualTo(request.credentials().registryRef("hub"));
        assertThat(back.variables()).containsEntry("PATH", "/usr/bin");
        assertThat(back.tempDirectory()).isEqualTo("/ws@tmp");
    }

    @Test
    void theResultAndTheSummaryComeBackAsPlainValues() {
        Results results =
                new Results(
                        new ScanParameters("alpine"),
                        SecretMasker.none(),
                        java.nio.file.Path.of("/ws"),
                        line -> {});
        StepResult result =
                results.error(
                        io.imagegate.message.ImageGateException.notFound(
                                "x", "no such image {0}", "alpine"),
                        "alpine");
        assertOnlyAcceptedClasses(result);
        StepResult back = Serialization.roundTrip(result);
        assertThat(back.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(back.message()).isEqualTo("imagegateScan: no such image alpine");
        assertThat(back.values()).containsEntry("errorKind", "NOT_FOUND");

        BuildSummary summary = new BuildSummary();
        summary.add(back.row());
        summary.add(
                new SummaryRow(
                        "imagegateScan",
                        "alpine",
                        "sha256:1",
                        "PASS",
                        "SUCCESS",
                        "CRITICAL 0",
                        List.of("r/imagegate-scan.html")));
        assertOnlyAcceptedClasses(summary);
        assertThat(Serialization.roundTrip(summary).getRows())
                .extracting(SummaryRow::toString)
                .containsExactly(
                        "imagegateScan | alpine |  | ERROR | FAILURE | no such image alpine",
                        "imagegateScan | alpine | sha256:1 | PASS | SUCCESS | CRITICAL 0");
        assertThat(summary.getHeadline()).isEqualTo("2 steps: 1 PASS, 1 ERROR");
    }

    private static final Path WORKSPACE = Path.of("/ws");
    private static final String DIGEST = "sha256:" + "d".repeat(64);

    private static VerdictSummary verdict(String verdict) {
        return new VerdictSummary(
                "r.example/base/alpine@" + DIGEST,
                "linux/amd64",
                verdict,
                Map.of("CRITICAL", 1, "LOW", 2),
                verdict.equals("PASS") ? List.of() : List.of("1 finding of severity HIGH or above"),
                List.of(
                        new FindingSummary(
                                "CVE-2099-0001",
                                "openssl",
                                "3.5.0-r0",
                                "3.5.1-r0",
                                "CRITICAL",
                                verdict.equals("PASS") ? "allowlisted" : "failing",
                                "")),
                "sha256:" + "c".repeat(64),
                "trivy 0.74.0",
                "2099-01-01T00:00:00Z",
                "2099-01-02T00:00:00Z");
    }

    /**
     * A result of every step, each with the content a real one carries: verdicts, findings, counts,
     * violations, diffs.
     */
    private static List<StepResult> everyKind() {
        ImportParameters importing = new ImportParameters("alpine:3.20");
        importing.setTarget("r.example/base/alpine:3.20");
        ImportResult imported =
                new ImportResult(
                        Outcome.PASSED,
                        Optional.empty(),
                        "r.example/base/alpine:3.20@" + DIGEST,
                        DIGEST,
                        DIGEST,
                        "application/vnd.oci.image.index.v1+json",
                        Map.of("linux/amd64", "sha256:" + "a".repeat(64)),
                        false,
                        new ImportResult.BlobCount(2, 3_500_000L),
                        new ImportResult.BlobCount(1, 10L),
                        new ImportResult.BlobCount(0, 0L),
                        1,
                        17,
                        Duration.ofMillis(2410));

        ScanParameters scanning = new ScanParameters("r.example/base/alpine:3.20");
        scanning.setUnstable(true);
        ScanResult scanned =
                new ScanResult(
                        Outcome.POLICY_FAILED,
                        Optional.empty(),
                        "r.example/base/alpine:3.20",
                        DIGEST,
                        List.of(verdict("FAIL")),
                        List.of(
                                "/ws/reports/alpine.json",
                                "/ws/reports/alpine.sarif",
                                "/ws/reports/imagegate-report.css"),
                        "trivy 0.74.0",
                        List.of("FAIL linux/amd64: CRITICAL 1"));

        VetParameters vetting = new VetParameters("alpine:3.20");
        vetting.setTarget("r.example/base/alpine:3.20");
        VetResult vetted =
                new VetResult(
                        Outcome.PASSED,
                        Optional.empty(),
                        "docker.io/library/alpine:3.20",
                        "r.example/base/alpine:3.20",
                        DIGEST,
                        "PASS",
                        true,
                        false,
                        List.of(verdict("PASS")),
                        "r.example/base/alpine@sha256:" + "e".repeat(64),
                        "r.example/quarantine/alpine:3.20",
                        List.of("/ws/reports/alpine.html"),
                        List.of("verdict PASS"));

        RewriteParameters rewriting =
                new RewriteParameters(List.of("Dockerfile"), List.of("=r.example/mirror"));
        rewriting.setCheck(true);
        RewriteResult rewritten =
                new RewriteResult(
                        Outcome.CHANGES_NEEDED,
                        Optional.empty(),
                        List.of(
                                new RewriteResult.FileChange(
                                        "/ws/Dockerfile",
                                        true,
                                        false,
                                        List.of(
                                                "Dockerfile:1: - FROM alpine:3.20",
                                                "Dockerfile:1: + FROM r.example/mirror/alpine:3.20"),
                                        List.of(
                                                Message.of(
                                                        "x.skipped",
                                                        "{0}:{1}: a build argument, left alone",
                                                        "Dockerfile",
                                                        3)))));

        GateParameters gating =
                new GateParameters(List.of("Dockerfile"), List.of("r.example/base"));
        GateResult gated =
                new GateResult(
                        Outcome.POLICY_FAILED,
                        Optional.empty(),
                        2,
                        true,
                        List.of(
                                new GateResult.Violation(
                                        "/ws/Dockerfile",
                                        1,
                                        "alpine:3.20",
                                        "docker.io/library/alpine:3.20",
                                        "trusted",
                                        Message.of("x.untrusted", "not under a trusted prefix"),
                                        Message.of("x.fix", "vet it first"))),
                        false);

        UpdateParameters updating = new UpdateParameters(List.of("."), List.of("r.example/base"));
        UpdateResult updated =
                new UpdateResult(
                        Outcome.PASSED,
                        Optional.empty(),
                        List.of(
                                new UpdateResult.FileChange(
                                        "/ws/Dockerfile",
                                        "dockerfile",
                                        true,
                                        true,
                                        List.of(1),
                                        List.of(
                                                "Dockerfile:1: - FROM r.example/base/alpine:3.20@sha256:"
                                                        + "a".repeat(64),
                                                "Dockerfile:1: + FROM r.example/base/alpine:3.20@sha256:"
                                                        + "b".repeat(64)))),
                        List.of(
                                new UpdateResult.Image(
                                        "r.example/base/alpine:3.20",
                                        List.of("sha256:" + "a".repeat(64)),
                                        "sha256:" + "b".repeat(64),
                                        "2026-12-06T00:00:00Z",
                                        "sha256:" + "c".repeat(64),
                                        "",
                                        List.of("HIGH CVE-2099-0002 openssl 3.5.0-r0"),
                                        List.of(),
                                        List.of(),
                                        List.of("Dockerfile:1"))),
                        List.of(Message.of("x.held", "{0}: no verdict, left alone", "db:1")),
                        "# imagegate update",
                        "",
                        "",
                        List.of(),
                        "imagegate/alpine-bbbbbbbbbbbb",
                        "d".repeat(40));

        List<StepResult> results = new ArrayList<>();
        results.add(
                new Results(importing, SecretMasker.none(), WORKSPACE, line -> {}).of(imported));
        results.add(new Results(scanning, SecretMasker.none(), WORKSPACE, line -> {}).of(scanned));
        results.add(new Results(vetting, SecretMasker.none(), WORKSPACE, line -> {}).of(vetted));
        results.add(
                new Results(rewriting, SecretMasker.none(), WORKSPACE, line -> {}).of(rewritten));
        results.add(new Results(gating, SecretMasker.none(), WORKSPACE, line -> {}).of(gated));
        results.add(new Results(updating, SecretMasker.none(), WORKSPACE, line -> {}).of(updated));
        return results;
    }

    /**
     * What comes back from the agent for every step, not only an error: the result with its map
     * (nested maps and lists of verdicts, counts, findings, violations), its row and its reports,
     * and the summary holding every row.
     */
    @Test
    void theResultOfEveryStepKindComesBackAsPlainValues() {
        List<StepResult> results = everyKind();
        assertThat(results)
                .extracting(StepResult::kind)
                .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(StepKind.class));
        assertThat(results)
                .extracting(StepResult::outcome)
                .containsExactly(
                        Outcome.PASSED,
                        Outcome.POLICY_FAILED,
                        Outcome.PASSED,
                        Outcome.CHANGES_NEEDED,
                        Outcome.POLICY_FAILED,
                        Outcome.PASSED);
        BuildSummary summary = new BuildSummary();
        for (StepResult result : results) {
            assertOnlyAcceptedClasses(result);
            StepResult back = Serialization.roundTrip(result);
            assertThat(back.kind()).isEqualTo(result.kind());
            assertThat(back.result()).isEqualTo(result.result());
            assertThat(back.message()).isEqualTo(result.message());
            assertThat(back.values())
                    .as(result.kind() + " map")
                    .isEqualTo(result.values())
                    .isNotEmpty();
            assertThat(back.row().toString()).isEqualTo(result.row().toString());
            assertThat(back.row().getReports()).isEqualTo(result.row().getReports());
            assertThat(back.reports()).isEqualTo(result.reports());
            summary.add(back.row());
        }
        // the nested values really are there to cross: a scan's verdicts and findings, a gate's
        // violations
        assertThat(results.get(1).values()).containsKeys("verdicts", "counts", "reasons");
        assertThat(results.get(4).values()).containsKey("violations");
        assertThat(results.get(1).reports()).isNotEmpty();
        assertOnlyAcceptedClasses(summary);
        assertThat(Serialization.roundTrip(summary).getRows())
                .extracting(SummaryRow::toString)
                .containsExactlyElementsOf(
                        summary.getRows().stream().map(SummaryRow::toString).toList());
        assertThat(summary.getBadge().getVerdict()).isEqualTo("FAIL");
    }
}
