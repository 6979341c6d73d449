package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.Json;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.testing.HostileParsing;

/**
 * Fuzzing the reader of Trivy's JSON report. Fail closed: a report it reads has exactly as many
 * findings as the JSON lists under {@code Results[].Vulnerabilities[]} — none is dropped because it
 * is shaped oddly — and anything else is a tool failure with a short, printable message. Seeds:
 * src/test/resources/io/imagegate/scan/ScanReportFuzzTestInputs/.
 */
class ScanReportFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void parse(byte[] data) {
        ScanReport report;
        try {
            report = ScanReport.parse(data, "report.json");
        } catch (ImageGateException e) {
            HostileParsing.assertRefusal(e, ErrorKind.TOOL_FAILURE);
            return;
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(data);
        } catch (java.io.IOException e) {
            throw new AssertionError("read a report that is not JSON", e);
        }
        int listed = 0;
        for (JsonNode result : tree.path("Results")) {
            listed += result.path("Vulnerabilities").size();
        }
        assertThat(report.vulnerabilities()).hasSize(listed);
        assertThat(report.vulnerabilities())
                .allSatisfy(
                        v -> {
                            assertThat(v.id()).isNotBlank();
                            assertThat(v.severity()).isNotNull();
                        });
    }
}
