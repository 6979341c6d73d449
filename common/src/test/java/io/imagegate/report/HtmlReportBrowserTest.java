package io.imagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.policy.Verdict;
import io.imagegate.testing.Chromium;
import io.imagegate.testing.NeedsComponents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report as a person sees it in a browser: real Chromium renders it at 1280 x 900 with its
 * stylesheet. The report has no script (Jenkins' CSP allows none), so the test measures a copy into
 * which it puts its own: the copy's script reads the layout and computed styles and writes them
 * into the DOM as base64 JSON, which {@code --dump-dom} returns.
 */
@NeedsComponents
class HtmlReportBrowserTest {
    private static final String MARKER = "imagegate-measurements";

    /**
     * Measures the page as shipped, then with every group opened: what a reader sees after clicking
     * them all.
     */
    private static final String MEASURE =
            """
            <script>
            (function () {
              var doc = document.documentElement;
              function px(e) { var r = e.getBoundingClientRect(); return { top: r.top + window.scrollY, right: r.right, height: r.height }; }
              var out = { shipped: { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
                                     open: Array.prototype.map.call(document.querySelectorAll('details'), function (d) { return d.open; }) } };
              document.querySelectorAll('details').forEach(function (d) { d.open = true; });
              out.scrollWidth = doc.scrollWidth; out.clientWidth = doc.clientWidth;
              out.boxes = Array.prototype.map.call(document.querySelectorAll('.scroll'), function (s) {
                return { scrollWidth: s.scrollWidth, clientWidth: s.clientWidth }; });
              out.headings = Array.prototype.map.call(document.querySelectorAll('h1, h2'), function (h) {
                var p = px(h); p.lineHeight = parseFloat(getComputedStyle(h).lineHeight); p.text = h.textContent; return p; });
              out.bodyFont = getComputedStyle(document.body).fontFamily;
              out.bodyMaxWidth = getComputedStyle(document.body).maxWidth;
              out.failBackground = getComputedStyle(document.querySelector('span.FAIL')).backgroundColor;
              out.criticalSummary = getComputedStyle(document.querySelector('details.CRITICAL > summary')).backgroundColor;
              out.digestWrap = getComputedStyle(document.querySelector('code.digest')).overflowWrap;
              out.sections = Array.prototype.map.call(document.querySelectorAll('section'), function (s) { return { id: s.id, top: px(s).top }; });
              out.groups = Array.prototype.map.call(document.querySelectorAll('section.platform details'), function (d) {
                return { platform: d.closest('section').id, severity: d.className, top: px(d).top }; });
              out.rows = Array.prototype.map.call(document.querySelectorAll('tr.finding'), function (r) {
                var b = px(r);
                return { platform: r.closest('section').id, id: r.cells[0].textContent, judgement: r.className, height: b.height,
                         right: b.right };
              });
              var pre = document.createElement('pre');
              pre.id = '%s';
              pre.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(out))));
              document.body.appendChild(pre);
            })();
            </script>
            """
                    .formatted(MARKER);

    @TempDir Path dir;

    private JsonNode measure(List<Verdict> verdicts) throws Exception {
        Path reports = dir.resolve("reports");
        Path html = ScanReports.writeAll(reports, ReportFixtures.INDEX, verdicts).get(3);
        String shipped = Files.readString(html);
        assertThat(shipped).doesNotContainIgnoringCase("<script");
        // The copy sits beside the report, so it loads the same stylesheet by the same relative
        // link.
        Path copy =
                Files.writeString(
                        reports.resolve("measured-copy.html"),
                        shipped.replace("</body>", MEASURE + "</body>"));
        Path scratch = Files.createDirectories(dir.resolve("chromium"));
        String dom = Chromium.dumpDom(copy, 1280, 900, scratch);
        Matcher m =
                Pattern.compile("<pre id=\"" + MARKER + "\">([A-Za-z0-9+/=]+)</pre>").matcher(dom);
        assertThat(m.find())
                .as(
                        "the measuring script ran; Chromium printed:\n"
                                + dom.substring(0, Math.min(dom.length(), 4000)))
                .isTrue();
        return new ObjectMapper()
                .readTree(
                        new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
    }

    @Test
    void atTheWidthOfALaptopNothingRunsOffThePageAndTheStylesheetApplies() throws Exception {
        JsonNode m = measure(ReportFixtures.verdicts(300));
        assertThat(m.path("shipped").path("scrollWidth").asInt())
                .as("no horizontal scrollbar as shipped")
                .isLessThanOrEqualTo(m.path("shipped").path("clientWidth").asInt());
        assertThat(m.path("scrollWidth").asInt())
                .as("no horizontal scrollbar with every group open")
                .isLessThanOrEqualTo(m.path("clientWidth").asInt())
                .isGreaterThan(1000);
        for (JsonNode box : m.path("boxes")) {
            assertThat(box.path("scrollWidth").asInt())
                    .as("no table wider than its box, so none scrolls on its own")
                    .isLessThanOrEqualTo(box.path("clientWidth").asInt());
        }
        for (JsonNode h : m.path("headings")) {
            assertThat(h.path("right").asDouble())
                    .as(h.path("text").asText())
                    .isLessThanOrEqualTo(m.path("clientWidth").asDouble());
            assertThat(h.path("height").asDouble())
                    .as("one line: " + h.path("text").asText())
                    .isLessThan(2 * h.path("lineHeight").asDouble());
        }
        // Values only the linked stylesheet sets: the browser's defaults are serif, no max width,
        // no backgrounds.
        assertThat(m.path("bodyFont").asText()).startsWith("system-ui");
        assertThat(m.path("bodyMaxWidth").asText()).isEqualTo("1440px");
        assertThat(m.path("failBackground").asText()).isEqualTo("rgb(207, 34, 46)");
        assertThat(m.path("criticalSummary").asText()).isEqualTo("rgb(255, 215, 213)");
        assertThat(m.path("digestWrap").asText()).isEqualTo("anywhere");
    }

    @Test
    void everyFindingIsShownCriticalFirstAfterTheOverview() throws Exception {
        List<Verdict> verdicts = ReportFixtures.verdicts(300);
        JsonNode m = measure(verdicts);

        List<String> expected = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (int p = 0; p < verdicts.size(); p++) {
            for (Verdict.Judged j : verdicts.get(p).findings()) {
                expected.add(
                        "platform-"
                                + (p + 1)
                                + " "
                                + j.finding().id()
                                + " finding "
                                + Findings.judgementName(j.status()));
            }
        }
        for (JsonNode row : m.path("rows")) {
            shown.add(
                    row.path("platform").asText()
                            + " "
                            + row.path("id").asText()
                            + " "
                            + row.path("judgement").asText());
            assertThat(row.path("height").asDouble())
                    .as("rendered: " + row.path("id").asText())
                    .isPositive();
            assertThat(row.path("right").asDouble())
                    .as("inside the window: " + row.path("id").asText())
                    .isLessThanOrEqualTo(m.path("clientWidth").asDouble());
        }
        assertThat(shown)
                .as("every finding, in the report's order (CRITICAL first)")
                .containsExactlyElementsOf(expected);

        assertThat(m.path("sections"))
                .extracting(s -> s.path("id").asText())
                .containsExactly("overview", "platform-1", "platform-2");
        double previous = -1;
        for (JsonNode s : m.path("sections")) {
            assertThat(s.path("top").asDouble())
                    .as("overview first, then the platforms, down the page")
                    .isGreaterThan(previous);
            previous = s.path("top").asDouble();
        }
        for (String platform : List.of("platform-1", "platform-2")) {
            List<String> severities = new ArrayList<>();
            double top = -1;
            for (JsonNode g : m.path("groups")) {
                if (g.path("platform").asText().equals(platform)) {
                    severities.add(g.path("severity").asText());
                    assertThat(g.path("top").asDouble())
                            .as(
                                    platform
                                            + " "
                                            + g.path("severity").asText()
                                            + " is shown below the one before")
                            .isGreaterThan(top);
                    top = g.path("top").asDouble();
                }
            }
            assertThat(severities)
                    .containsExactly(
                            "severity CRITICAL",
                            "severity HIGH",
                            "severity MEDIUM",
                            "severity LOW",
                            "severity UNKNOWN");
        }
        List<Boolean> open = new ArrayList<>();
        m.path("shipped").path("open").forEach(o -> open.add(o.asBoolean()));
        assertThat(open)
                .as(
                        "as shipped only the CRITICAL groups, which hold the failing findings, are open")
                .containsExactly(
                        true, false, false, false, false, true, false, false, false, false);
    }
}
