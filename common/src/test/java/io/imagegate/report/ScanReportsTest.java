package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.finding.ScannerInfo;
import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.oci.Platform;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyEvaluator;
import io.imagegate.policy.Verdict;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.scan.TrivyJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * Reports of several images share a directory without sharing a file; the HTML needs no inline
 * style or script.
 */
class ScanReportsTest {
    @TempDir Path dir;

    private static Verdict verdict(ImageReference image, String cve) {
        Vulnerability f =
                new Vulnerability(
                        cve,
                        "openssl",
                        "3.5.1-r0",
                        Optional.of("3.5.2-r0"),
                        "fixed",
                        Severity.CRITICAL,
                        Optional.of(9.8),
                        "t",
                        "https://nvd.nist.gov/vuln/detail/" + cve,
                        Optional.empty());
        return PolicyEvaluator.evaluate(
                Policy.defaults(),
                image,
                Optional.of(Platform.parse("linux/amd64")),
                List.of(f),
                1,
                new ScannerInfo("trivy", "0.74.0", Optional.empty(), Optional.empty()),
                Instant.parse("2026-11-29T00:00:00Z"));
    }

    private static ImageReference ref(String text, char digit) {
        return ImageReference.parse(text)
                .withDigest(Digest.parse("sha256:" + String.valueOf(digit).repeat(64)));
    }

    @Test
    void imagesWrittenSideBySideIntoOneDirectoryEachKeepTheirOwnReports() throws Exception {
        // Same repository and tag folded alike (a/b vs a_b), and the same tag at two digests: four
        // images, four sets.
        List<ImageReference> images =
                List.of(
                        ref("r.example/team/a/b:1", '1'),
                        ref("r.example/team/a_b:1", '2'),
                        ref("r.example/team/app:1", '3'),
                        ref("r.example/team/app:1", '4'));
        ExecutorService pool = Executors.newFixedThreadPool(images.size());
        List<List<Path>> written = new ArrayList<>();
        try {
            List<Future<List<Path>>> futures = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                ImageReference image = images.get(i);
                String cve = "CVE-2099-000" + i;
                futures.add(
                        pool.submit(
                                (Callable<List<Path>>)
                                        () ->
                                                ScanReports.writeAll(
                                                        dir, image, List.of(verdict(image, cve)))));
            }
            for (Future<List<Path>> f : futures) {
                written.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        for (int i = 0; i < images.size(); i++) {
            List<Path> files = written.get(i);
            assertThat(files)
                    .hasSize(5)
                    .allSatisfy(p -> assertThat(p).isRegularFile().hasParent(dir));
            assertThat(files.get(4).getFileName()).hasToString(ScanReports.STYLESHEET);
            for (Path report : files.subList(0, 4)) {
                assertThat(Files.readString(report))
                        .as(report.toString())
                        .contains("CVE-2099-000" + i)
                        .contains(images.get(i).digest().orElseThrow().hex());
                for (int j = 0; j < images.size(); j++) {
                    if (j != i) {
                        assertThat(written.get(j))
                                .as("no other image's report is " + report)
                                .doesNotContain(report);
                    }
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .as("4 x 4 reports and one stylesheet, no temporary file")
                    .hasSize(17)
                    .noneMatch(n -> n.startsWith(".") || n.endsWith(".tmp"));
        }
    }

    @Test
    void reportsAreReadableAsTheUmaskAllowsNotOwnerOnly() throws Exception {
        // what the umask gives any new file here (0644 under the usual 022)
        Path probe = Files.createFile(dir.resolve("probe"));
        var expected = Files.getPosixFilePermissions(probe);
        Files.delete(probe);
        ImageReference image = ref("r.example/team/app:1", '7');
        TrivyJson kept =
                TrivyJson.keep("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .orElseThrow();
        List<Path> written =
                ScanReports.writeAll(
                        dir, image, List.of(verdict(image, "CVE-2026-0007")), List.of(kept));
        assertThat(written).hasSize(6);
        for (Path file : written) {
            assertThat(Files.getPosixFilePermissions(file)).as(file.toString()).isEqualTo(expected);
        }
        assertThat(expected).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void theNameIsReadableAndOfTheImage() {
        ImageReference image = ref("registry.example.com:5000/base/alpine:3.20", 'a');
        assertThat(ReportName.stem(image)).matches("alpine_3\\.20-[0-9a-f]{16}");
        ImageReference byDigest = ImageReference.parse("r.example/app@sha256:" + "b".repeat(64));
        assertThat(ReportName.stem(byDigest)).matches("app_sha256_bbbbbbbbbbbb-[0-9a-f]{16}");
        assertThat(ReportName.stem(image))
                .isEqualTo(ReportName.stem(ref("registry.example.com:5000/base/alpine:3.20", 'a')))
                .isNotEqualTo(
                        ReportName.stem(ref("registry.example.com:5000/base/alpine:3.20", 'c')))
                .isNotEqualTo(ReportName.stem(ref("other.example/base/alpine:3.20", 'a')));
    }

    @Test
    void hostileNamesStayInsideTheReportDirectory() {
        String repository = "a/".repeat(120) + "z";
        List<String> hostile =
                List.of(
                        "..",
                        ".",
                        "../../etc/passwd",
                        "..\\..\\windows",
                        "/abs/path",
                        "a/../../b",
                        "~root",
                        "",
                        "con",
                        "name\u0000nul",
                        "\u202etxt.exe",
                        "é".repeat(300),
                        "x".repeat(1000),
                        repository);
        List<String> stems = new ArrayList<>();
        for (String text : hostile) {
            String stem = ReportName.stem(text, text);
            stems.add(stem.toLowerCase(Locale.ROOT));
            assertThat(stem)
                    .as(text)
                    .matches("[A-Za-z0-9_-][A-Za-z0-9._-]*-[0-9a-f]{16}")
                    .hasSizeLessThanOrEqualTo(ReportName.READABLE_MAX + 17);
            for (String suffix :
                    List.of(
                            ScanReports.JSON_SUFFIX,
                            ScanReports.JUNIT_SUFFIX,
                            ".linux_arm64_v8.trivy.json")) {
                Path file = dir.resolve(stem + suffix);
                assertThat(file.normalize().getParent()).as(text).isEqualTo(dir);
                assertThat(
                                file.getFileName()
                                        .toString()
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .hasSizeLessThan(200);
            }
        }
        assertThat(stems)
                .as("distinct even on a case-insensitive file system")
                .doesNotHaveDuplicates();
        // The longest repository a reference may have is cut to the bound, and still stays one
        // name.
        ImageReference longest = ref("r.example/" + repository + ":" + "t".repeat(128), 'd');
        assertThat(ReportName.stem(longest))
                .hasSizeLessThanOrEqualTo(ReportName.READABLE_MAX + 17)
                .doesNotContain("/");
    }

    @Test
    void trivysOwnReportsAreWrittenPerPlatformAndBounded() throws Exception {
        ImageReference image = ref("r.example/team/app:1", '6');
        byte[] json = "{\"SchemaVersion\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TrivyJson kept = TrivyJson.keep(json).orElseThrow();
        Optional<Platform> arm = Optional.of(Platform.parse("linux/arm/v7"));
        List<Path> files =
                ScanReports.writeAll(
                        dir,
                        image,
                        List.of(verdict(image, "CVE-2099-0001")),
                        List.of(
                                kept.of(Optional.of(Platform.parse("linux/amd64"))),
                                kept.of(arm),
                                kept.of(arm),
                                kept));
        String stem = ReportName.stem(image);
        assertThat(files.subList(5, files.size()))
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        stem + ".linux_amd64.trivy.json",
                        stem + ".linux_arm_v7.trivy.json",
                        stem + ".linux_arm_v7-2.trivy.json",
                        stem + ".trivy.json");
        for (Path file : files.subList(5, files.size())) {
            assertThat(file).hasParent(dir).hasBinaryContent(json);
        }
        assertThat(TrivyJson.keep(new byte[TrivyJson.MAX_KEPT + 1]))
                .as("a report larger than the bound is not kept")
                .isEmpty();
    }

    @Test
    void theHtmlHasNoInlineStyleOrScriptAndItsStylesheetIsBesideIt() throws Exception {
        ImageReference image = ref("r.example/team/app:1", '5');
        List<Path> files =
                ScanReports.writeAll(dir, image, List.of(verdict(image, "CVE-2099-0001")));
        Path html = files.get(3);
        assertThat(html.getFileName().toString()).endsWith(ScanReports.HTML_SUFFIX);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        Document page = factory.newDocumentBuilder().parse(html.toFile());
        NodeList all = page.getElementsByTagName("*");
        List<String> stylesheets = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            assertThat(e.getTagName()).isNotIn("style", "script", "iframe", "object", "embed");
            NamedNodeMap attributes = e.getAttributes();
            for (int a = 0; a < attributes.getLength(); a++) {
                String name = attributes.item(a).getNodeName().toLowerCase(Locale.ROOT);
                assertThat(name)
                        .as("attribute of <" + e.getTagName() + ">")
                        .isNotEqualTo("style")
                        .doesNotStartWith("on");
            }
            if (e.getTagName().equals("link") && e.getAttribute("rel").equals("stylesheet")) {
                stylesheets.add(e.getAttribute("href"));
            }
        }
        assertThat(stylesheets).containsExactly(ScanReports.STYLESHEET);
        Path css = html.resolveSibling(stylesheets.get(0));
        assertThat(css).isRegularFile().isEqualTo(files.get(4));
        assertThat(Files.readString(css)).contains(".FAIL{").contains(".CRITICAL>summary{");
    }
}
