package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.Json;
import io.imagegate.finding.Vulnerability;
import io.imagegate.message.ImageGateException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ScanReport#parse} streams, so that the packages of a large report are counted without a
 * tree; it must read every report as a reader of the whole tree does (the reader it replaced, kept
 * here as the oracle): the same findings, counts and names, or the same refusal.
 */
class ScanReportStreamingTest {
    static Stream<String> reports() {
        String vuln =
                "{\"VulnerabilityID\":\"CVE-1\",\"PkgName\":\"zlib\",\"InstalledVersion\":\"1\","
                        + "\"FixedVersion\":\"2\",\"Severity\":\"HIGH\",\"CVSS\":{\"nvd\":{\"V3Score\":7.5},"
                        + "\"x\":{\"V3Score\":9.1}},\"Layer\":{\"Digest\":\"sha256:ab\"}}";
        String pkg = "{\"Name\":\"zlib\",\"Version\":\"1\",\"DependsOn\":[\"a\",{\"b\":[1,2]}]}";
        String meta = "\"Metadata\":{\"OS\":{\"Family\":\"alpine\",\"Name\":\"3.22.0\"}}";
        return Stream.of(
                // well formed, in Trivy's order and in others
                "{\"SchemaVersion\":2,\"ArtifactName\":\"a\","
                        + meta
                        + ",\"Results\":[{\"Target\":\"t\","
                        + "\"Class\":\"os-pkgs\",\"Type\":\"alpine\",\"Packages\":["
                        + pkg
                        + ","
                        + pkg
                        + "],\"Vulnerabilities\":["
                        + vuln
                        + "]}]}",
                "{\"Results\":[{\"Vulnerabilities\":["
                        + vuln
                        + "],\"Packages\":["
                        + pkg
                        + "]},{\"Target\":\"jar\"}],"
                        + meta
                        + ",\"SchemaVersion\":2}",
                "{\"SchemaVersion\":\"2\",\"Results\":null,\"Metadata\":{\"OS\":null}}",
                "{\"SchemaVersion\":2,\"Results\":[{\"Target\":7,\"Class\":{\"x\":1},\"Type\":null,"
                        + "\"Vulnerabilities\":null,\"Packages\":null}]}",
                "{\"SchemaVersion\":2}",
                // a repeated key: its last value
                "{\"SchemaVersion\":1,\"SchemaVersion\":2,\"Results\":[{\"Packages\":[1]}],\"Results\":[]}",
                "{\"SchemaVersion\":2,\"Results\":[{\"Packages\":["
                        + pkg
                        + "],\"Packages\":[],"
                        + "\"Vulnerabilities\":[{}],\"Vulnerabilities\":["
                        + vuln
                        + "]}]}",
                "{\"SchemaVersion\":2,\"ArtifactName\":\"a\",\"ArtifactName\":\"b\","
                        + meta
                        + ",\"Metadata\":{}}",
                // refusals, and which one comes first
                "{\"SchemaVersion\":3,\"Results\":5}",
                "{\"Results\":[{\"Packages\":[1]}]}",
                "{\"SchemaVersion\":2,\"Results\":5}",
                "{\"SchemaVersion\":2,\"Results\":[1,{\"Vulnerabilities\":[{}]}]}",
                "{\"SchemaVersion\":2,\"Results\":[{\"Packages\":[1],\"Vulnerabilities\":[{}]}]}",
                "{\"SchemaVersion\":2,\"Results\":[{\"Packages\":\"x\"},{\"Vulnerabilities\":5}]}",
                "{\"SchemaVersion\":2,\"Results\":[{\"Vulnerabilities\":["
                        + vuln
                        + ",{\"VulnerabilityID\":\" \"},null]}]}",
                "{\"SchemaVersion\":2,\"Results\":[{\"Vulnerabilities\":[{\"VulnerabilityID\":3}]}]}",
                "{\"SchemaVersion\":2,\"Results\":[{\"Packages\":[{},[],{}]}]}",
                "[1,2]",
                "[1,",
                "\"text\"",
                "",
                "   ",
                "{\"SchemaVersion\":2,\"Results\":[{\"Packages\":[{\"a\":}]}]}",
                "{\"SchemaVersion\":2,\"Results\":[{\"Packages\":[{}]}]",
                "{\"SchemaVersion\":2} trailing");
    }

    @ParameterizedTest
    @MethodSource("reports")
    void readsAsTheTreeReaderDoes(String report) {
        byte[] bytes = report.getBytes(StandardCharsets.UTF_8);
        Object streamed = outcome(() -> ScanReport.parse(bytes, "r.json"));
        Object tree = outcome(() -> TreeReader.parse(bytes, "r.json"));
        assertThat(streamed).isEqualTo(tree);
    }

    @Test
    void countsEveryPackageOfALargeReportAndKeepsItsFindings() {
        StringBuilder json =
                new StringBuilder(
                        "{\"SchemaVersion\":2,\"Results\":[{\"Target\":\"debian\",\"Packages\":[");
        for (int i = 0; i < 5000; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"Name\":\"p")
                    .append(i)
                    .append("\",\"Identifier\":{\"PURL\":\"pkg:deb/debian/p")
                    .append(i)
                    .append("\"},\"InstalledFiles\":[\"/usr/lib/p")
                    .append(i)
                    .append("\"]}");
        }
        json.append(
                "],\"Vulnerabilities\":[{\"VulnerabilityID\":\"CVE-2099-1\",\"Severity\":\"LOW\"}]}]}");
        ScanReport report =
                ScanReport.parse(json.toString().getBytes(StandardCharsets.UTF_8), "big.json");
        assertThat(report.packageCount()).isEqualTo(5000);
        assertThat(report.vulnerabilities())
                .extracting(Vulnerability::id)
                .containsExactly("CVE-2099-1");
    }

    @Test
    void aReportWithoutPackagesCheckedNothing() {
        ScanReport report =
                ScanReport.parse(
                        "{\"SchemaVersion\":2,\"Results\":[{\"Target\":\"t\",\"Packages\":[]}]}"
                                .getBytes(StandardCharsets.UTF_8),
                        "r.json");
        assertThat(report.packageCount()).isZero();
        assertThatThrownBy(
                        () ->
                                ScanReport.parse(
                                        "{\"SchemaVersion\":2,\"Results\":[{\"Packages\":[\"x\"]}]}"
                                                .getBytes(StandardCharsets.UTF_8),
                                        "r.json"))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("an entry of Packages is not an object");
    }

    private static Object outcome(java.util.function.Supplier<ScanReport> parse) {
        try {
            ScanReport r = parse.get();
            return List.of(r.artifactName(), r.os(), r.results());
        } catch (ImageGateException e) {
            return e.kind() + ": " + e.getMessage();
        }
    }

    /** The tree reader {@link ScanReport#parse} replaced, as it was. */
    private static final class TreeReader {
        static ScanReport parse(byte[] json, String where) {
            JsonNode root;
            try {
                root = Json.MAPPER.readTree(json);
            } catch (java.io.IOException e) {
                throw error(
                        "trivy.report-not-json", "the Trivy report {0} is not valid JSON", where);
            }
            if (root == null || !root.isObject()) {
                throw error(
                        "trivy.report-not-object",
                        "the Trivy report {0} is not a JSON object",
                        where);
            }
            int schema = root.path("SchemaVersion").asInt(-1);
            if (schema != ScanReport.SCHEMA_VERSION) {
                throw ImageGateException.of(
                        io.imagegate.message.ErrorKind.TOOL_FAILURE,
                        "trivy.report-schema",
                        "the Trivy report {0} has SchemaVersion {1}; imagegate reads schema {2} (Trivy 0.20 and later)",
                        where,
                        schema < 0 ? "(none)" : String.valueOf(schema),
                        ScanReport.SCHEMA_VERSION);
            }
            JsonNode os = root.path("Metadata").path("OS");
            Optional<String> osName =
                    os.isObject()
                            ? Optional.of(
                                    (os.path("Family").asText("")
                                                    + " "
                                                    + os.path("Name").asText(""))
                                            .strip())
                            : Optional.empty();
            List<ScanReport.Result> results = new ArrayList<>();
            for (JsonNode result : list(root, "Results", where)) {
                if (!result.isObject()) {
                    throw malformed(where, "an entry of Results is not an object");
                }
                List<Vulnerability> vulns = new ArrayList<>();
                for (JsonNode v : list(result, "Vulnerabilities", where)) {
                    if (!v.isObject()
                            || !v.path("VulnerabilityID").isTextual()
                            || v.path("VulnerabilityID").asText().isBlank()) {
                        throw malformed(where, "a vulnerability has no VulnerabilityID");
                    }
                    // the findings themselves are read by the same code in both readers
                    vulns.add(
                            ScanReport.parse(
                                            ("{\"SchemaVersion\":2,\"Results\":[{\"Vulnerabilities\":["
                                                            + v
                                                            + "]}]}")
                                                    .getBytes(StandardCharsets.UTF_8),
                                            where)
                                    .vulnerabilities()
                                    .get(0));
                }
                int packages = 0;
                for (JsonNode p : list(result, "Packages", where)) {
                    if (!p.isObject()) {
                        throw malformed(where, "an entry of Packages is not an object");
                    }
                    packages++;
                }
                results.add(
                        new ScanReport.Result(
                                result.path("Target").asText(""),
                                result.path("Class").asText(""),
                                result.path("Type").asText(""),
                                packages,
                                vulns));
            }
            return new ScanReport(
                    root.path("ArtifactName").asText(""),
                    osName.filter(s -> !s.isEmpty()),
                    results);
        }

        private static JsonNode list(JsonNode parent, String field, String where) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return Json.MAPPER.createArrayNode();
            }
            if (!node.isArray()) {
                throw malformed(where, field + " is not a list");
            }
            return node;
        }

        private static ImageGateException malformed(String where, String problem) {
            return ImageGateException.of(
                    io.imagegate.message.ErrorKind.TOOL_FAILURE,
                    "trivy.report-malformed",
                    "the Trivy report {0} is malformed: {1}",
                    where,
                    problem);
        }

        private static ImageGateException error(String code, String message, String where) {
            return ImageGateException.of(
                    io.imagegate.message.ErrorKind.TOOL_FAILURE, code, message, where);
        }
    }
}
