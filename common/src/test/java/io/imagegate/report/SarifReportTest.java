package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.imagegate.policy.Verdict;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.SarifSchema;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SARIF report lists every finding, as Trivy's own SARIF does, each judged: failing ones as
 * errors, below-threshold ones as warnings or notes by severity, allowlisted and ignored-unfixed
 * ones as notes with an external suppression saying why; it is valid against the official SARIF
 * 2.1.0 schema (fetched with npm, hence a component).
 */
@NeedsComponents
class SarifReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode sarif(List<Verdict> verdicts) throws Exception {
        JsonNode sarif = JSON.readTree(SarifReport.bytes(verdicts));
        try (InputStream schema = Files.newInputStream(SarifSchema.path())) {
            assertThat(
                            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                                    .getSchema(schema)
                                    .validate(sarif))
                    .as("SARIF 2.1.0 schema violations")
                    .isEmpty();
        }
        return sarif;
    }

    /** The result of finding {@code id} on {@code platform}. */
    private static JsonNode result(JsonNode sarif, String id, String platform) {
        List<JsonNode> found = new ArrayList<>();
        sarif.path("runs")
                .get(0)
                .path("results")
                .forEach(
                        r -> {
                            if (r.path("ruleId").asText().equals(id)
                                    && r.path("properties")
                                            .path("platform")
                                            .asText()
                                            .equals(platform)) {
                                found.add(r);
                            }
                        });
        assertThat(found).as(id + " on " + platform).hasSize(1);
        return found.get(0);
    }

    @Test
    void everyFindingIsAResultJudgedAsThePolicyJudgedIt() throws Exception {
        List<Verdict> verdicts = ReportFixtures.verdicts(0);
        JsonNode sarif = sarif(verdicts);
        JsonNode results = sarif.path("runs").get(0).path("results");
        // six findings on each of two platforms, and an error of the policy rule for each failed
        // platform
        assertThat(results).hasSize(6 * 2 + 2);
        for (String platform : List.of("linux/amd64", "linux/arm64/v8")) {
            JsonNode failing = result(sarif, "CVE-2099-0001", platform);
            assertThat(failing.path("level").asText()).isEqualTo("error");
            assertThat(failing.path("properties").path("judgement").asText()).isEqualTo("failing");
            assertThat(failing.has("suppressions"))
                    .as("a failing finding is not suppressed")
                    .isFalse();

            JsonNode allowlisted = result(sarif, "CVE-2099-0002", platform);
            assertThat(allowlisted.path("level").asText()).isEqualTo("note");
            assertThat(allowlisted.path("properties").path("judgement").asText())
                    .isEqualTo("allowlisted");
            assertThat(allowlisted.path("suppressions"))
                    .singleElement()
                    .satisfies(
                            s -> {
                                assertThat(s.path("kind").asText()).isEqualTo("external");
                                assertThat(s.path("status").asText()).isEqualTo("accepted");
                                assertThat(s.path("justification").asText())
                                        .contains(ReportFixtures.REASON)
                                        .contains(ReportFixtures.EXPIRES);
                            });

            JsonNode medium = result(sarif, "CVE-2099-0003", platform);
            assertThat(medium.path("level").asText())
                    .as("below threshold, MEDIUM")
                    .isEqualTo("warning");
            assertThat(medium.path("properties").path("judgement").asText())
                    .isEqualTo("below-threshold");
            assertThat(medium.has("suppressions"))
                    .as("an expired allowlist entry suppresses nothing")
                    .isFalse();
            JsonNode low = result(sarif, "CVE-2099-0004", platform);
            assertThat(low.path("level").asText()).as("below threshold, LOW").isEqualTo("note");
            assertThat(low.has("suppressions")).isFalse();
            JsonNode unknown = result(sarif, "CVE-2099-0006", platform);
            assertThat(unknown.path("level").asText())
                    .as("below threshold, UNKNOWN")
                    .isEqualTo("note");
            assertThat(unknown.path("properties").path("judgement").asText())
                    .isEqualTo("below-threshold");

            JsonNode unfixed = result(sarif, "CVE-2099-0005", platform);
            assertThat(unfixed.path("level").asText())
                    .as("a HIGH ignored because unfixed")
                    .isEqualTo("note");
            assertThat(unfixed.path("properties").path("judgement").asText())
                    .isEqualTo("ignored-unfixed");
            assertThat(unfixed.path("suppressions"))
                    .singleElement()
                    .satisfies(
                            s -> {
                                assertThat(s.path("kind").asText()).isEqualTo("external");
                                assertThat(s.path("justification").asText())
                                        .contains("ignored unfixed")
                                        .contains("no fixed version")
                                        .contains("ignoreUnfixed");
                            });
        }
    }

    @Test
    void locationsNameTheImageWithItsRegistryAndFingerprintsKeepFindingsApart() throws Exception {
        JsonNode sarif = sarif(ReportFixtures.verdicts(0));
        List<String> fingerprints = new ArrayList<>();
        for (JsonNode r : sarif.path("runs").get(0).path("results")) {
            String uri =
                    r.path("locations")
                            .get(0)
                            .path("physicalLocation")
                            .path("artifactLocation")
                            .path("uri")
                            .asText();
            assertThat(uri)
                    .matches("oci://registry\\.example\\.com:5000/team/app:1\\.0@sha256:[bc]{64}");
            assertThat(java.net.URI.create(uri).getHost()).isEqualTo("registry.example.com");
            if (!r.path("ruleId").asText().equals(SarifReport.POLICY_RULE)) {
                fingerprints.add(r.path("partialFingerprints").path("imagegate/v1").asText());
            }
        }
        assertThat(fingerprints)
                .hasSize(12)
                .doesNotHaveDuplicates()
                .allMatch(f -> f.matches("[0-9a-f]{64}"));
        assertThat(
                        sarif(ReportFixtures.verdicts(0))
                                .path("runs")
                                .get(0)
                                .path("results")
                                .get(0)
                                .path("partialFingerprints"))
                .as("the same finding, the same fingerprint in the next scan")
                .isEqualTo(
                        sarif.path("runs")
                                .get(0)
                                .path("results")
                                .get(0)
                                .path("partialFingerprints"));
    }

    @Test
    void aRulePerVulnerabilityEvenWhenSeveralPlatformsShareIt() throws Exception {
        JsonNode run = sarif(ReportFixtures.verdicts(0)).path("runs").get(0);
        List<String> ids = new ArrayList<>();
        run.path("tool").path("driver").path("rules").forEach(r -> ids.add(r.path("id").asText()));
        assertThat(ids)
                .containsExactly(
                        "CVE-2099-0001",
                        "CVE-2099-0002",
                        "CVE-2099-0005",
                        "CVE-2099-0003",
                        "CVE-2099-0004",
                        "CVE-2099-0006",
                        SarifReport.POLICY_RULE);
        for (JsonNode r : run.path("results")) {
            assertThat(ids.get(r.path("ruleIndex").asInt())).isEqualTo(r.path("ruleId").asText());
        }
    }
}
