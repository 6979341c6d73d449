package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.message.Vocabulary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one result shape: keys, severity order, errors, and the front end's paths and words. */
class ResultValuesTest {
    private static final String AMD64 = "r.example/base/a@sha256:" + "a".repeat(64);
    private static final String ARM64 = "r.example/base/a@sha256:" + "b".repeat(64);

    private static final ResultValues NEUTRAL = ResultValues.in(Vocabulary.NEUTRAL, p -> p);

    private static VerdictSummary verdict(
            String image,
            String platform,
            String verdict,
            Map<String, Integer> counts,
            List<String> reasons) {
        return new VerdictSummary(
                image,
                platform,
                verdict,
                counts,
                reasons,
                verdict.equals("FAIL")
                        ? List.of(
                                new FindingSummary(
                                        "CVE-2099-0001",
                                        "openssl",
                                        "3.5.0-r0",
                                        "3.5.1-r0",
                                        "CRITICAL",
                                        "failing",
                                        ""))
                        : List.of(),
                "sha256:" + "c".repeat(64),
                "trivy 0.74.0",
                "",
                "2099-01-01T00:00:00Z");
    }

    @Test
    void aScanHasItsVerdictsCountsWorstFirstReasonsAndReports() throws Exception {
        ScanResult scan =
                new ScanResult(
                        Outcome.POLICY_FAILED,
                        Optional.empty(),
                        "r.example/base/a:1",
                        "sha256:" + "d".repeat(64),
                        List.of(
                                verdict(
                                        AMD64,
                                        "linux/amd64",
                                        "FAIL",
                                        Map.of("LOW", 1, "CRITICAL", 1),
                                        List.of("1 finding of severity HIGH or above")),
                                verdict(ARM64, "linux/arm64", "PASS", Map.of("LOW", 2), List.of())),
                        List.of("/work/reports/imagegate-scan.json"),
                        "trivy 0.74.0",
                        List.of("FAIL …"));
        Map<String, Object> values =
                ResultValues.in(Vocabulary.NEUTRAL, p -> p.replace("/work/", "")).of(scan);

        assertThat(values.keySet())
                .containsExactly(
                        "outcome",
                        "image",
                        "digest",
                        "verdict",
                        "counts",
                        "reasons",
                        "verdicts",
                        "scanner",
                        "reports");
        assertThat(values)
                .containsEntry("outcome", "POLICY_FAILED")
                .containsEntry("verdict", "FAIL")
                .containsEntry(
                        "reasons", List.of("linux/amd64: 1 finding of severity HIGH or above"))
                .containsEntry("reports", List.of("reports/imagegate-scan.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) values.get("counts");
        assertThat(counts.keySet()).containsExactly("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN");
        assertThat(counts.values()).containsExactly(1, 0, 0, 3, 0);

        JsonNode json = new ObjectMapper().readTree(ResultValues.json(values));
        JsonNode first = json.path("verdicts").get(0);
        assertThat(first.path("image").asText()).isEqualTo(AMD64);
        assertThat(first.path("digest").asText()).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(first.path("verdict").asText()).isEqualTo("FAIL");
        assertThat(first.path("reasons").get(0).asText())
                .isEqualTo("1 finding of severity HIGH or above");
        assertThat(first.path("failing").get(0).asText())
                .isEqualTo("CRITICAL CVE-2099-0001 openssl 3.5.0-r0");
        assertThat(json.path("verdicts").get(1).path("counts").path("LOW").asInt()).isEqualTo(2);
    }

    @Test
    void anErrorIsItsMessageKindAndWhetherToRetry() {
        ImageGateException e =
                ImageGateException.usage(
                        Field.SOURCE, "x.bad", "{0} is not an image reference", Field.SOURCE);
        Map<String, Object> values = NEUTRAL.of(ScanResult.failed("x", e));
        assertThat(values)
                .containsExactly(
                        Map.entry("outcome", "ERROR"),
                        Map.entry("error", "source is not an image reference"),
                        Map.entry("errorKind", "USAGE"),
                        Map.entry("retryable", false));
        assertThat(NEUTRAL.error(ImageGateException.of(ErrorKind.TRANSIENT, "x.t", "no answer")))
                .containsEntry("errorKind", "TRANSIENT")
                .containsEntry("retryable", true);
        // an ERROR without its error is still one, never a pass
        assertThat(NEUTRAL.of(new GateResult(Outcome.ERROR, Optional.empty(), 0, false, List.of())))
                .containsEntry("outcome", "ERROR")
                .containsEntry("errorKind", "INTERNAL");
    }

    @Test
    void aSyncKeepsItsEntriesAndNamesTheFirstImageThatFailed() {
        ImageGateException e =
                ImageGateException.notFound(
                        "x.nf", "{0} does not exist", "docker.io/library/gone:1");
        SyncResult sync =
                new SyncResult(
                        Outcome.ERROR,
                        Optional.empty(),
                        List.of(
                                new SyncResult.Entry(
                                        "docker.io/library/a:1",
                                        "r.example/base/a:1",
                                        Outcome.PASSED,
                                        Optional.empty(),
                                        "",
                                        "sha256:1",
                                        true,
                                        true,
                                        List.of("CVE-1 a 1"),
                                        List.of()),
                                new SyncResult.Entry(
                                        "docker.io/library/gone:1",
                                        "r.example/base/gone:1",
                                        Outcome.ERROR,
                                        Optional.of(e),
                                        "",
                                        "",
                                        false,
                                        false,
                                        List.of(),
                                        List.of())));
        Map<String, Object> values = NEUTRAL.of(sync);
        assertThat(values)
                .containsEntry("outcome", "ERROR")
                .containsEntry("errorKind", "NOT_FOUND")
                .containsEntry(
                        "error", "r.example/base/gone:1: docker.io/library/gone:1 does not exist")
                .containsEntry("images", 2)
                .containsEntry("vetted", 1L)
                .containsEntry("failed", 1L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = (List<Map<String, Object>>) values.get("entries");
        assertThat(entries.get(0))
                .containsEntry("fixed", List.of("CVE-1 a 1"))
                .doesNotContainKey("errorKind");
        assertThat(entries.get(1))
                .containsEntry("outcome", "ERROR")
                .containsEntry("errorKind", "NOT_FOUND");
    }

    @Test
    void gateViolationsAndRewritesNameFilesAsTheFrontEndDoes() {
        GateResult gate =
                new GateResult(
                        Outcome.POLICY_FAILED,
                        Optional.empty(),
                        2,
                        false,
                        List.of(
                                new GateResult.Violation(
                                        "/ws/Dockerfile",
                                        1,
                                        "alpine",
                                        "docker.io/library/alpine:latest",
                                        "untrusted",
                                        Message.of(
                                                "x.u",
                                                "{0} is not under a trusted prefix",
                                                "docker.io/library/alpine:latest"),
                                        Message.of("x.f", "rewrite it"))));
        Map<String, Object> values =
                ResultValues.in(Vocabulary.NEUTRAL, p -> p.replace("/ws/", "")).of(gate);
        assertThat(values.keySet()).containsExactly("outcome", "checked", "violations", "summary");
        assertThat(values.get("violations"))
                .isEqualTo(
                        List.of(
                                Map.of(
                                        "file",
                                        "Dockerfile",
                                        "line",
                                        1,
                                        "written",
                                        "alpine",
                                        "reference",
                                        "docker.io/library/alpine:latest",
                                        "rule",
                                        "untrusted",
                                        "reason",
                                        "docker.io/library/alpine:latest is not under a trusted prefix",
                                        "fix",
                                        "rewrite it",
                                        "fixes",
                                        List.of())));

        RewriteResult rewrite =
                new RewriteResult(
                        Outcome.CHANGES_NEEDED,
                        Optional.empty(),
                        List.of(
                                new RewriteResult.FileChange(
                                        "/ws/Dockerfile",
                                        true,
                                        false,
                                        List.of(
                                                "Dockerfile:1: - alpine",
                                                "Dockerfile:1: + r.example/alpine"),
                                        List.of())));
        assertThat(ResultValues.in(Vocabulary.NEUTRAL, p -> p.replace("/ws/", "")).of(rewrite))
                .containsEntry("changed", true)
                .containsEntry(
                        "files",
                        List.of(
                                Map.of(
                                        "file",
                                        "Dockerfile",
                                        "changed",
                                        true,
                                        "written",
                                        false,
                                        "diff",
                                        List.of(
                                                "Dockerfile:1: - alpine",
                                                "Dockerfile:1: + r.example/alpine"),
                                        "skipped",
                                        List.of())));
    }

    @Test
    void storedVerdictDocumentsAreValuesNotText() {
        VerdictsResult result =
                new VerdictsResult(
                        Outcome.PASSED,
                        Optional.empty(),
                        "r.example/a:1",
                        "sha256:1",
                        List.of(
                                new StoredVerdict(
                                        "r.example/a@sha256:2",
                                        "r.example/a@sha256:1",
                                        "PASS",
                                        "sha256:3",
                                        "2099-01-01T00:00:00Z",
                                        "{\"verdict\":\"PASS\",\"counts\":{\"HIGH\":0}}",
                                        "signed by key abc (verified)"),
                                new StoredVerdict(
                                        "r.example/a@sha256:4",
                                        "r.example/a@sha256:1",
                                        "FAIL",
                                        "sha256:3",
                                        "2098-01-01T00:00:00Z",
                                        "not json")));
        Map<String, Object> values = NEUTRAL.of(result);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> verdicts = (List<Map<String, Object>>) values.get("verdicts");
        assertThat(verdicts.get(0).get("document"))
                .isEqualTo(Map.of("verdict", "PASS", "counts", Map.of("HIGH", 0)));
        assertThat(verdicts.get(0)).containsEntry("signature", "signed by key abc (verified)");
        assertThat(verdicts.get(1).get("document")).isEqualTo("not json");
    }

    @Test
    void filesInsideTheDirectoryAreRelativeToItOthersAsTheyAre() {
        java.util.function.UnaryOperator<String> paths = ResultValues.relativeTo("/ws/app");
        assertThat(paths.apply("/ws/app/reports/imagegate-scan.json"))
                .isEqualTo("reports/imagegate-scan.json");
        assertThat(paths.apply("reports/x.json")).isEqualTo("reports/x.json");
        assertThat(paths.apply("/ws/other/x.json")).isEqualTo("/ws/other/x.json");
        assertThat(paths.apply("/ws/app/../app2/x")).isEqualTo("/ws/app/../app2/x");
        assertThat(paths.apply("/ws/app")).isEqualTo("/ws/app");
        assertThat(ResultValues.relativeTo(null).apply("/ws/app/x")).isEqualTo("/ws/app/x");
    }
}
