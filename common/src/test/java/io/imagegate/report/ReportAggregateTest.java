package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.ImageReference;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.SarifSchema;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A module's aggregate merges its images' reports: one SARIF log with both images' runs, one JUnit
 * file with both suites, one JSON with both documents, one HTML index linking both pages; hostile
 * per-image files are refused, not merged.
 */
class ReportAggregateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private List<ReportAggregate.Image> twoImages() {
        List<Path> app =
                ScanReports.writeAll(dir, ReportFixtures.INDEX, ReportFixtures.verdicts(0));
        ImageReference db = ImageReference.parse("registry.example.com:5000/team/db:2");
        List<Path> other =
                ScanReports.writeAll(
                        dir, db, List.of(ReportFixtures.verdict("linux/amd64", 'd', List.of())));
        return List.of(
                new ReportAggregate.Image(ReportFixtures.INDEX.toString(), "POLICY_FAILED", app),
                new ReportAggregate.Image(db.toString(), "PASSED", other));
    }

    @Test
    @NeedsComponents
    void mergesTwoImagesReportsIntoOneOfEachFormat() throws Exception {
        List<ReportAggregate.Image> images = twoImages();
        List<Path> written =
                ReportAggregate.write(
                        dir, "my-module", EnumSet.allOf(ReportAggregate.Format.class), images);
        assertThat(written.stream().map(p -> p.getFileName().toString()))
                .containsExactly(
                        "imagegate-my-module.json",
                        "imagegate-my-module.sarif",
                        "imagegate-my-module-junit.xml",
                        "imagegate-my-module.html",
                        ScanReports.STYLESHEET);

        JsonNode sarif = JSON.readTree(written.get(1).toFile());
        try (InputStream schema = Files.newInputStream(SarifSchema.path())) {
            assertThat(
                            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                                    .getSchema(schema)
                                    .validate(sarif))
                    .as("SARIF 2.1.0 schema violations")
                    .isEmpty();
        }
        int runs = 0;
        for (ReportAggregate.Image image : images) {
            runs +=
                    JSON.readTree(image.report(ReportAggregate.Format.SARIF).orElseThrow().toFile())
                            .path("runs")
                            .size();
        }
        assertThat(sarif.path("runs").size()).isEqualTo(runs).isGreaterThanOrEqualTo(2);

        JsonNode json = JSON.readTree(written.get(0).toFile());
        assertThat(json.path("images").size()).isEqualTo(2);
        assertThat(json.path("images").get(0))
                .isEqualTo(
                        JSON.readTree(
                                images.get(0)
                                        .report(ReportAggregate.Format.JSON)
                                        .orElseThrow()
                                        .toFile()));

        Document junit =
                ReportAggregate.safeFactory().newDocumentBuilder().parse(written.get(2).toFile());
        Element root = junit.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getElementsByTagName("testsuite").getLength()).isEqualTo(2);
        assertThat(root.getElementsByTagName("failure").getLength()).isPositive();

        String html = Files.readString(written.get(3));
        for (ReportAggregate.Image image : images) {
            String page =
                    image.report(ReportAggregate.Format.HTML)
                            .orElseThrow()
                            .getFileName()
                            .toString();
            assertThat(html).contains("href=\"" + page + "\"");
        }
        assertThat(html).contains("policy_failed").contains("passed").doesNotContain("style=");
        // the index is well-formed XML, as the per-image pages are
        ReportAggregate.safeFactory()
                .newDocumentBuilder()
                .parse(
                        new java.io.ByteArrayInputStream(
                                html.replace("<!DOCTYPE html>", "")
                                        .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesOnlyTheFormatsChosen() throws Exception {
        List<Path> written =
                ReportAggregate.write(
                        dir, "m", EnumSet.of(ReportAggregate.Format.SARIF), twoImages());
        assertThat(written).hasSize(1);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .filteredOn(n -> n.startsWith("imagegate-m"))
                    .containsExactly("imagegate-m.sarif");
        }
    }

    @Test
    void aNameCannotLeaveTheDirectory() {
        assertThat(ReportAggregate.stem("../../etc/x"))
                .isEqualTo("imagegate-_.._.._etc_x")
                .doesNotContain("/");
        assertThat(ReportAggregate.stem(null)).isEqualTo("imagegate-images");
    }

    @Test
    void anOversizedReportIsRefused() throws Exception {
        List<ReportAggregate.Image> images = twoImages();
        Path json = images.get(1).report(ReportAggregate.Format.JSON).orElseThrow();
        try (var out = Files.newOutputStream(json)) {
            byte[] block = new byte[1024 * 1024];
            java.util.Arrays.fill(block, (byte) ' ');
            for (int i = 0; i <= ReportAggregate.MAX_BYTES / block.length; i++) {
                out.write(block);
            }
        }
        assertThatThrownBy(
                        () ->
                                ReportAggregate.write(
                                        dir, "m", EnumSet.of(ReportAggregate.Format.JSON), images))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("larger than");
        assertThat(dir.resolve("imagegate-m.json")).doesNotExist();
    }

    @Test
    void aJunitReportWithADoctypeIsRefusedNotExpanded() throws Exception {
        List<ReportAggregate.Image> images = twoImages();
        Path junit = images.get(0).report(ReportAggregate.Format.JUNIT).orElseThrow();
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOPSECRET");
        Files.writeString(
                junit,
                "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \""
                        + secret.toUri()
                        + "\">]><testsuites><testsuite name=\"&x;\"/></testsuites>");
        assertThatThrownBy(
                        () ->
                                ReportAggregate.write(
                                        dir, "m", EnumSet.of(ReportAggregate.Format.JUNIT), images))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("not well-formed XML");
        assertThat(dir.resolve("imagegate-m-junit.xml")).doesNotExist();
    }

    @Test
    void aLinkInPlaceOfAReportIsRefused() throws Exception {
        List<ReportAggregate.Image> images = twoImages();
        Path sarif = images.get(0).report(ReportAggregate.Format.SARIF).orElseThrow();
        Path elsewhere = dir.resolve("elsewhere.sarif.txt");
        Files.move(sarif, elsewhere);
        Files.createSymbolicLink(sarif, elsewhere);
        assertThatThrownBy(
                        () ->
                                ReportAggregate.write(
                                        dir, "m", EnumSet.of(ReportAggregate.Format.SARIF), images))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("not a regular file");
    }
}
