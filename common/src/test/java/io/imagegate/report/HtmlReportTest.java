package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.policy.Verdict;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The HTML report's content, read as a tree (the page is well-formed XML): an overview before the
 * details, every finding with its judgement, severities from CRITICAL down, short headings, and big
 * groups collapsed. {@code HtmlReportBrowserTest} checks what a browser shows of it.
 */
class HtmlReportTest {
    private static Document page(List<Verdict> verdicts) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        return factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(HtmlReport.bytes(ReportFixtures.INDEX, verdicts)));
    }

    private static List<Element> elements(Node root, String tag, String classPrefix) {
        NodeList all =
                root instanceof Document d
                        ? d.getElementsByTagName(tag)
                        : ((Element) root).getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("class").startsWith(classPrefix)) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element platform(Document page, int number) {
        return elements(page, "section", "platform").stream()
                .filter(s -> s.getAttribute("id").equals("platform-" + number))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void everyFindingIsARowWithItsJudgement() throws Exception {
        List<Verdict> verdicts = ReportFixtures.verdicts(25);
        Document page = page(verdicts);
        for (int p = 0; p < verdicts.size(); p++) {
            Verdict v = verdicts.get(p);
            List<Element> rows = elements(platform(page, p + 1), "tr", "finding ");
            assertThat(rows)
                    .as("a row per finding of " + v.platform().orElseThrow())
                    .hasSize(v.findings().size());
            for (int i = 0; i < rows.size(); i++) {
                Verdict.Judged j = v.findings().get(i);
                Element row = rows.get(i);
                assertThat(row.getAttribute("class"))
                        .isEqualTo("finding " + Findings.judgementName(j.status()));
                assertThat(row.getTextContent())
                        .contains(j.finding().id())
                        .contains(j.finding().packageName())
                        .contains(j.finding().installedVersion());
            }
        }
        List<String> texts =
                elements(platform(page, 2), "tr", "finding ").stream()
                        .map(Element::getTextContent)
                        .toList();
        assertThat(texts)
                .anySatisfy(t -> assertThat(t).contains("CVE-2099-0001").contains("failing"))
                .anySatisfy(
                        t ->
                                assertThat(t)
                                        .contains("CVE-2099-0002")
                                        .contains("allowlisted until " + ReportFixtures.EXPIRES)
                                        .contains(ReportFixtures.REASON))
                .anySatisfy(
                        t -> assertThat(t).contains("CVE-2099-0003").contains("below threshold"))
                .anySatisfy(
                        t ->
                                assertThat(t)
                                        .contains("CVE-2099-0005")
                                        .contains("ignored unfixed")
                                        .contains("no fixed version"));
        assertThat(platform(page, 1).getTextContent())
                .as("the expired entry, not honoured")
                .contains("Expired allowlist entries")
                .contains("accepted once (expired 2000-01-01)");
    }

    @Test
    void criticalComesFirstAndTheOverviewBeforeTheDetails() throws Exception {
        Document page = page(ReportFixtures.verdicts(0));
        List<String> order =
                elements(platform(page, 1), "details", "severity ").stream()
                        .map(d -> d.getAttribute("class"))
                        .toList();
        assertThat(order)
                .containsExactly(
                        "severity CRITICAL",
                        "severity HIGH",
                        "severity MEDIUM",
                        "severity LOW",
                        "severity UNKNOWN");

        List<Element> sections = elements(page, "section", "");
        assertThat(sections)
                .extracting(s -> s.getAttribute("id"))
                .containsExactly("overview", "platform-1", "platform-2");
        Element overview = sections.get(0);
        List<Element> rows = elements(overview.getElementsByTagName("tbody").item(0), "tr", "");
        assertThat(rows).hasSize(2);
        // platform, verdict, CRITICAL … UNKNOWN as reported, then failing, allowlisted, below
        // threshold, ignored unfixed
        assertThat(rows.get(0).getTextContent())
                .startsWith(
                        "linux/amd64sha256:"
                                + "b".repeat(64)
                                + "FAIL"
                                + "1211"
                                + "1"
                                + "11"
                                + "3"
                                + "1");
        assertThat(overview.getTextContent())
                .contains("2 platforms judged, 2 failed")
                .contains("1 finding of severity HIGH or above");
        assertThat(elements(page, "h1", "").get(0).getTextContent())
                .isEqualTo("imagegate scan FAIL");
    }

    @Test
    void headingsAreShortAndTheImageIsSaidOnceAsItsOwnLine() throws Exception {
        Document page = page(ReportFixtures.verdicts(0));
        for (Element h2 : elements(page, "h2", "")) {
            assertThat(h2.getTextContent())
                    .as("a heading names the platform, not the whole reference")
                    .hasSizeLessThanOrEqualTo(40)
                    .doesNotContain("sha256:");
        }
        assertThat(elements(page, "title", "").get(0).getTextContent())
                .contains(ReportFixtures.INDEX.toString());
    }

    @Test
    void smallGroupsWithAFailingFindingStartOpenAndBigOnesClosed() throws Exception {
        List<Vulnerability> many = new ArrayList<>();
        for (int i = 0; i <= HtmlReport.OPEN_MAX; i++) {
            many.add(
                    ReportFixtures.finding(
                            "CVE-2097-%05d".formatted(i), "p" + i, "1", "2", Severity.CRITICAL));
        }
        List<Verdict> verdicts =
                List.of(
                        ReportFixtures.verdicts(300).get(0),
                        ReportFixtures.verdict("linux/s390x", 'd', many));
        Document page = page(verdicts);
        List<Element> first = elements(platform(page, 1), "details", "severity ");
        assertThat(first)
                .extracting(d -> d.getAttribute("class") + "=" + d.getAttribute("open"))
                .containsExactly(
                        "severity CRITICAL=open",
                        "severity HIGH=",
                        "severity MEDIUM=",
                        "severity LOW=",
                        "severity UNKNOWN=");
        assertThat(elements(first.get(3), "tr", "finding "))
                .as("collapsed, yet every row is there")
                .hasSize(301);
        Element big = elements(platform(page, 2), "details", "severity ").get(0);
        assertThat(big.getAttribute("open"))
                .as(HtmlReport.OPEN_MAX + 1 + " failing rows start collapsed")
                .isEmpty();
        assertThat(big.getElementsByTagName("summary").item(0).getTextContent())
                .isEqualTo(
                        "CRITICAL: "
                                + (HtmlReport.OPEN_MAX + 1)
                                + " findings ("
                                + (HtmlReport.OPEN_MAX + 1)
                                + " failing)");
    }

    @Test
    void anImageJudgedWithoutAScanSaysWhyAndThatItHasNoFindings() throws Exception {
        Verdict notScanned =
                Verdict.notScanned(
                        ReportFixtures.INDEX,
                        "sha256:" + "e".repeat(64),
                        Instant.parse("2026-11-29T00:00:00Z"),
                        "no valid signature by upstream.pub");
        Document page = page(List.of(notScanned));
        assertThat(platform(page, 1).getTextContent())
                .contains("no valid signature by upstream.pub")
                .contains("No findings.");
        assertThat(elements(page, "section", "overview").get(0).getTextContent())
                .contains("1 platform judged, 1 failed")
                .contains("image: no valid signature");
    }
}
