package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.finding.ScannerInfo;
import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.oci.Platform;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyEvaluator;
import io.imagegate.policy.Verdict;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.TransportListener;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.scan.ScanReport;
import io.imagegate.scan.Trivy;
import io.imagegate.scan.TrivyOptions;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.HostileServer;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Content from scanners, images and registries is data, never markup or terminal control: reports
 * stay well-formed, links are only http(s), and nothing printed can move the cursor, erase a line
 * or forge one.
 */
@NeedsComponents
class HostileContentTest {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    private static final String ESC = "\u001b";

    @TempDir Path dir;

    private static Verdict verdict(Vulnerability v) {
        return PolicyEvaluator.evaluate(
                Policy.defaults(),
                ImageReference.parse("r.example/a@sha256:" + "a".repeat(64)),
                Optional.of(Platform.parse("linux/amd64")),
                List.of(v),
                1,
                new ScannerInfo("trivy", "0.74.0", Optional.empty(), Optional.empty()),
                Instant.parse("2026-11-29T00:00:00Z"));
    }

    @Test
    void linksAreOnlyHttpAndNewlinesForgeNoLines() throws Exception {
        Vulnerability evil =
                new Vulnerability(
                        "CVE-2099-9999",
                        "pkg\nPASS r.example/everything",
                        "1.0\r\nPASS forged",
                        Optional.of("2.0"),
                        "fixed",
                        Severity.CRITICAL,
                        Optional.of(9.8),
                        "<script>alert(1)</script>",
                        "javascript:alert(document.cookie)",
                        Optional.empty());
        Verdict v = verdict(evil);

        List<String> lines = ScanReports.text(List.of(v));
        assertThat(lines)
                .noneMatch(l -> l.contains("\n") || l.contains("\r"))
                .noneMatch(l -> l.startsWith("PASS"));
        assertThat(lines.get(0)).startsWith("FAIL ");

        String html = new String(HtmlReport.bytes(v.image(), List.of(v)), StandardCharsets.UTF_8);
        assertThat(html)
                .doesNotContain("javascript:alert")
                .doesNotContain("<script>")
                .contains("&lt;script&gt;");

        JsonNode sarif = new ObjectMapper().readTree(SarifReport.bytes(List.of(v)));
        assertThat(
                        sarif.path("runs")
                                .get(0)
                                .path("tool")
                                .path("driver")
                                .path("rules")
                                .get(0)
                                .has("helpUri"))
                .isFalse();
        Vulnerability fine =
                new Vulnerability(
                        "CVE-2099-9998",
                        "p",
                        "1",
                        Optional.empty(),
                        "affected",
                        Severity.HIGH,
                        Optional.empty(),
                        "t",
                        "https://nvd.nist.gov/vuln/detail/CVE-2099-9998",
                        Optional.empty());
        assertThat(
                        new String(
                                HtmlReport.bytes(verdict(fine).image(), List.of(verdict(fine))),
                                StandardCharsets.UTF_8))
                .contains("href=\"https://nvd.nist.gov/vuln/detail/CVE-2099-9998\"");
    }

    /**
     * A real image whose package names hold terminal escapes and XML-forbidden characters, scanned
     * by the real Trivy: the JUnit XML still parses (CI servers would drop the failing case
     * otherwise), and no escape reaches the text.
     */
    @Test
    void controlCharactersFromARealScanLeaveEveryReportWellFormed() throws Exception {
        String name = "open" + ESC + "[2J" + "\u0007ssl" + "\u0001";
        TestImages.Image image =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(new String[] {name, "3.5.0-r0", "openssl"}));
        new ImagePusher(registry).push("evil/pkg", "1", image);
        Path cache = FixtureVulnerabilityDb.cacheDir();
        Trivy trivy =
                Trivy.locate(
                        Optional.empty(),
                        System.getenv(),
                        cache,
                        Path.of(System.getProperty("java.io.tmpdir")));
        ImageReference ref =
                ImageReference.parse(registry.hostPort() + "/evil/pkg@" + image.digest());
        ScanReport report =
                trivy.scan(
                        ref,
                        Optional.empty(),
                        TrivyOptions.offline(cache),
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous());
        assertThat(report.vulnerabilities())
                .as("Trivy reported the finding with the hostile name")
                .anySatisfy(f -> assertThat(f.packageName()).contains(ESC));
        Verdict v =
                PolicyEvaluator.evaluate(
                        Policy.defaults(),
                        ref,
                        Optional.empty(),
                        report.vulnerabilities(),
                        report.packageCount(),
                        trivy.info(),
                        Instant.now());

        List<Path> files = ScanReports.writeAll(dir, ref, List.of(v));
        Document junit =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(files.get(2).toFile());
        assertThat(junit.getElementsByTagName("failure").getLength()).isEqualTo(1);
        assertThat(junit.getElementsByTagName("failure").item(0).getTextContent())
                .contains("\\x1b[2J");
        for (Path file : files) {
            String text = Files.readString(file);
            assertThat(text).as(file.toString()).doesNotContain(ESC).doesNotContain("\u0007");
        }
        assertThat(ScanReports.text(List.of(v)))
                .noneMatch(l -> l.contains(ESC) || l.contains("\u0007") || l.contains("\u0001"));
    }

    @Test
    void aRegistrysErrorMessageCannotRewriteTheTerminal() {
        String sneaky = ESC + "[1A" + ESC + "[2K\rPASS everything is fine";
        try (HostileServer server =
                        new HostileServer(
                                (r, out) -> {
                                    if (r.path().equals("/v2/")) {
                                        out.respond(200, Map.of(), "{}");
                                        return;
                                    }
                                    out.respond(
                                            403,
                                            Map.of("Content-Type", "application/json"),
                                            "{\"errors\":[{\"code\":\"DENIED\",\"message\":\""
                                                    + sneaky.replace(ESC, "\\u001b")
                                                            .replace("\r", "\\r")
                                                    + "\"}]}");
                                });
                RegistryClient client =
                        new RegistryClient(
                                TransportOptions.defaults(),
                                CredentialProvider.anonymous(),
                                TransportListener.NONE)) {
            assertThatThrownBy(
                            () ->
                                    client.pull(ImageReference.parse(server.hostPort() + "/x/y:1"))
                                            .getManifest("1"))
                    .isInstanceOfSatisfying(
                            ImageGateException.class,
                            e -> {
                                assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
                                assertThat(e.getMessage())
                                        .doesNotContain(ESC)
                                        .doesNotContain("\r")
                                        .contains("\\x1b[1A");
                                assertThat(e.render(io.imagegate.message.Vocabulary.NEUTRAL))
                                        .doesNotContain(ESC);
                            });
        }
        assertThat(Message.neutralize("a\u202eb\u0085c")).isEqualTo("a\\u202eb\\x85c");
    }
}
