package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.ScanResult;
import io.imagegate.api.ScanSpec;
import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import io.imagegate.oci.Platform;
import io.imagegate.scan.ScanReport;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scans and vets of several images into one report directory (one after another, or side by side as
 * parallel pipeline branches do) each keep their reports, and each result names its own files: a
 * summary row never links to another image's report.
 */
@NeedsComponents
class SharedReportDirectoryTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    @TempDir Path dir;

    @BeforeAll
    static void images() {
        ImagePusher pusher = new ImagePusher(upstream);
        pusher.push("library/clean", "1", TestImages.cleanAlpine());
        pusher.push("library/vulnerable", "1", TestImages.vulnerableAlpine());
        TestImages.Image armClean =
                TestImages.alpine(
                        Platform.parse("linux/arm64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r31", "busybox"}));
        pusher.push(
                "library/multi",
                "1",
                TestImages.index(List.of(armClean, TestImages.vulnerableAlpine()), true));
    }

    private static String up(String path) {
        return upstream.hostPort() + "/" + path;
    }

    private ImageGate api() {
        return ImageGate.create(TestSettings.in(dir));
    }

    @Test
    void twoScansSideBySideIntoOneDirectoryKeepBothReports() throws Exception {
        CompletableFuture<ScanResult> clean =
                CompletableFuture.supplyAsync(
                        () ->
                                api().scan(
                                                ScanSpec.of(
                                                        up("library/clean:1"),
                                                        null,
                                                        "reports",
                                                        FixtureVulnerabilityDb.offlineTrivy()),
                                                ProgressListener.NONE));
        CompletableFuture<ScanResult> vulnerable =
                CompletableFuture.supplyAsync(
                        () ->
                                api().scan(
                                                ScanSpec.of(
                                                        up("library/vulnerable:1"),
                                                        null,
                                                        "reports",
                                                        FixtureVulnerabilityDb.offlineTrivy()),
                                                ProgressListener.NONE));
        ScanResult passed = clean.get();
        ScanResult failed = vulnerable.get();
        assertThat(passed.outcome()).as(passed.toString()).isEqualTo(Outcome.PASSED);
        assertThat(failed.outcome()).as(failed.toString()).isEqualTo(Outcome.POLICY_FAILED);

        assertOwnReports(passed.reports(), "/clean", "PASS", failed.reports());
        assertOwnReports(failed.reports(), "/vulnerable", "FAIL", passed.reports());
        assertThat(listing(dir.resolve("reports")))
                .as("two images' four reports and Trivy's, one stylesheet")
                .hasSize(11);
    }

    @Test
    void twoVetsIntoOneDirectoryKeepBothReports() throws Exception {
        VetResult passed = vet("library/clean:1", "base/clean:1");
        VetResult failed = vet("library/vulnerable:1", "base/vulnerable:1");
        assertThat(passed.outcome()).as(passed.toString()).isEqualTo(Outcome.PASSED);
        assertThat(failed.outcome()).as(failed.toString()).isEqualTo(Outcome.POLICY_FAILED);

        assertOwnReports(passed.reports(), "/clean", "PASS", failed.reports());
        assertOwnReports(failed.reports(), "/vulnerable", "FAIL", passed.reports());
        assertThat(Path.of(passed.reports().get(0)).getFileName().toString())
                .as("named after the target")
                .startsWith("clean_1-");
        assertThat(listing(dir.resolve("reports"))).hasSize(11);

        VetResult again = vet("library/clean:1", "base/clean:1");
        assertThat(again.alreadyVetted()).as(again.toString()).isTrue();
        assertThat(again.reports()).as("nothing scanned, so no reports").isEmpty();
        assertOwnReports(passed.reports(), "/clean", "PASS", failed.reports());
        assertThat(listing(dir.resolve("reports"))).hasSize(11);
    }

    private VetResult vet(String source, String target) {
        return api().vet(
                        VetSpec.builder()
                                .source(up(source))
                                .target(registry.hostPort() + "/" + target)
                                .reportDir("reports")
                                .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                .build(),
                        ProgressListener.NONE);
    }

    /**
     * The reports are files of the directory, of this image (its JSON says so), none another
     * result's.
     */
    private void assertOwnReports(
            List<String> reports, String repository, String verdict, List<String> others)
            throws Exception {
        assertThat(reports.get(4))
                .as("the stylesheet, the one file shared")
                .endsWith("/imagegate-report.css")
                .isEqualTo(others.get(4));
        assertThat(reports)
                .hasSize(6)
                .doesNotContainAnyElementsOf(
                        others.stream().filter(o -> !o.equals(reports.get(4))).toList());
        for (String report : reports) {
            assertThat(Path.of(report)).isRegularFile().hasParent(dir.resolve("reports"));
        }
        JsonNode json = new ObjectMapper().readTree(Path.of(reports.get(0)).toFile());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).path("image").asText()).contains(repository);
        assertThat(json.get(0).path("verdict").asText()).isEqualTo(verdict);
        assertThat(Files.readString(Path.of(reports.get(3))))
                .contains(repository)
                .contains("href=\"imagegate-report.css\"");
        // Trivy's own report, as Trivy wrote it: what warnings-ng's trivy parser reads
        Path trivy = Path.of(reports.get(5));
        assertThat(trivy.getFileName().toString())
                .isEqualTo(
                        Path.of(reports.get(0))
                                .getFileName()
                                .toString()
                                .replace(".json", ".trivy.json"));
        JsonNode own = new ObjectMapper().readTree(trivy.toFile());
        assertThat(own.path("SchemaVersion").asInt()).isEqualTo(2);
        assertThat(own.path("ArtifactName").asText()).contains(repository);
        assertThat(ScanReport.parse(Files.readAllBytes(trivy), trivy.toString()).packageCount())
                .isPositive();
    }

    @Test
    void aMultiArchScanKeepsTrivysReportOfEachPlatform() throws Exception {
        ScanResult result =
                api().scan(
                                ScanSpec.of(
                                        up("library/multi:1"),
                                        null,
                                        "reports",
                                        FixtureVulnerabilityDb.offlineTrivy()),
                                ProgressListener.NONE);
        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.POLICY_FAILED);
        String stem =
                Path.of(result.reports().get(0)).getFileName().toString().replace(".json", "");
        assertThat(result.reports().subList(5, result.reports().size()))
                .extracting(r -> Path.of(r).getFileName().toString())
                .containsExactly(
                        stem + ".linux_arm64.trivy.json", stem + ".linux_amd64.trivy.json");
        JsonNode amd64 = new ObjectMapper().readTree(Path.of(result.reports().get(6)).toFile());
        assertThat(amd64.path("Results").toString()).contains("CVE-2099-0001");
        assertThat(
                        new ObjectMapper()
                                .readTree(Path.of(result.reports().get(5)).toFile())
                                .path("Results")
                                .toString())
                .doesNotContain("CVE-2099-0001");
    }

    @Test
    void withoutAReportDirectoryNothingIsWritten() throws Exception {
        ScanResult result =
                api().scan(
                                ScanSpec.of(
                                        up("library/multi:1"),
                                        null,
                                        null,
                                        FixtureVulnerabilityDb.offlineTrivy()),
                                ProgressListener.NONE);
        assertThat(result.reports()).isEmpty();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(Path::toString).toList())
                    .noneMatch(f -> f.endsWith(".json"));
        }
    }

    private static List<String> listing(Path reports) throws Exception {
        try (Stream<Path> files = Files.list(reports)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
