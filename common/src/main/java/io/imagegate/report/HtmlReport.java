package io.imagegate.report;

import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.message.Message;
import io.imagegate.policy.AllowlistEntry;
import io.imagegate.policy.Verdict;
import io.imagegate.reference.ImageReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML report of an image: an overview (the image, each platform's verdict, its findings by
 * severity and by judgement, the reasons of a failure), then each platform's findings, every one
 * with its judgement, grouped by severity from CRITICAL down in {@code <details>} that only small
 * groups with a failing finding start open, so a scan of thousands of findings still opens as a
 * short page. No inline style or script: Jenkins serves archived files under a CSP that allows
 * neither; the look is the stylesheet beside it ({@link ReportStylesheet}). Every text is escaped,
 * links go only to http(s).
 */
final class HtmlReport {
    /**
     * A severity group with a failing finding starts open only up to this many rows; a larger one
     * stays one line.
     */
    static final int OPEN_MAX = 200;

    private static final List<Severity> SEVERITIES =
            List.of(
                    Severity.CRITICAL,
                    Severity.HIGH,
                    Severity.MEDIUM,
                    Severity.LOW,
                    Severity.UNKNOWN);

    private HtmlReport() {}

    static byte[] bytes(ImageReference image, List<Verdict> verdicts) {
        // Void elements are closed (<meta/>) and attributes have values, so the page is also
        // well-formed XML, which tools
        // and tests can parse.
        StringBuilder h =
                new StringBuilder(
                                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
                        .append(
                                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                        .append("<title>imagegate scan: ")
                        .append(esc(image.toString()))
                        .append("</title>\n")
                        .append("<link rel=\"stylesheet\" href=\"")
                        .append(ScanReports.STYLESHEET)
                        .append("\"/>\n</head><body>\n");
        overview(h, image, verdicts);
        for (int i = 0; i < verdicts.size(); i++) {
            platform(h, verdicts.get(i), i + 1);
        }
        return h.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void overview(StringBuilder h, ImageReference image, List<Verdict> verdicts) {
        long failed = verdicts.stream().filter(v -> !v.passed()).count();
        h.append("<header>\n<h1>imagegate scan");
        if (!verdicts.isEmpty()) {
            h.append(' ')
                    .append(outcome(failed == 0 ? Verdict.Outcome.PASS : Verdict.Outcome.FAIL));
        }
        h.append("</h1>\n<p class=\"ref\"><code>")
                .append(esc(image.toString()))
                .append("</code></p>\n</header>\n");
        h.append("<section class=\"overview\" id=\"overview\">\n<h2>Overview</h2>\n<p>")
                .append(verdicts.size())
                .append(verdicts.size() == 1 ? " platform" : " platforms")
                .append(" judged, ")
                .append(failed)
                .append(" failed.</p>\n");
        if (verdicts.isEmpty()) {
            h.append("</section>\n");
            return;
        }
        h.append(
                "<div class=\"scroll\"><table class=\"overview\">\n<thead><tr><th>platform</th><th class=\"fit\">verdict</th>");
        SEVERITIES.forEach(s -> h.append("<th class=\"n\">").append(s).append("</th>"));
        for (Verdict.Status s : Verdict.Status.values()) {
            h.append("<th class=\"n\">").append(statusLabel(s)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < verdicts.size(); i++) {
            Verdict v = verdicts.get(i);
            h.append("<tr><th><a href=\"#platform-")
                    .append(i + 1)
                    .append("\">")
                    .append(esc(platformLabel(v)))
                    .append("</a>");
            v.image()
                    .digest()
                    .ifPresent(
                            d ->
                                    h.append("<code class=\"digest\">")
                                            .append(esc(d.toString()))
                                            .append("</code>"));
            h.append("</th><td class=\"fit\">").append(outcome(v.outcome())).append("</td>");
            Map<Severity, Integer> reported = v.reportedCounts();
            SEVERITIES.forEach(s -> count(h, reported.getOrDefault(s, 0)));
            Map<Verdict.Status, Integer> judged = byStatus(v.findings());
            for (Verdict.Status s : Verdict.Status.values()) {
                count(h, judged.getOrDefault(s, 0));
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div>\n");
        if (failed > 0) {
            h.append("<ul class=\"reasons\">\n");
            for (int i = 0; i < verdicts.size(); i++) {
                Verdict v = verdicts.get(i);
                for (String reason : v.reasons()) {
                    h.append("<li><a href=\"#platform-")
                            .append(i + 1)
                            .append("\">")
                            .append(esc(platformLabel(v)))
                            .append("</a>: ")
                            .append(esc(reason))
                            .append("</li>\n");
                }
            }
            h.append("</ul>\n");
        }
        h.append("</section>\n");
    }

    private static void platform(StringBuilder h, Verdict v, int number) {
        h.append("<section class=\"platform\" id=\"platform-")
                .append(number)
                .append("\">\n<h2>")
                .append(esc(platformLabel(v)))
                .append(' ')
                .append(outcome(v.outcome()))
                .append("</h2>\n<p class=\"ref\"><code>")
                .append(esc(v.image().toString()))
                .append("</code></p>\n");
        if (!v.reasons().isEmpty()) {
            h.append("<ul class=\"reasons\">\n");
            v.reasons().forEach(r -> h.append("<li>").append(esc(r)).append("</li>\n"));
            h.append("</ul>\n");
        }
        if (v.findings().isEmpty()) {
            h.append("<p>No findings.</p>\n");
        }
        Map<Severity, List<Verdict.Judged>> bySeverity = new EnumMap<>(Severity.class);
        v.findings()
                .forEach(
                        j ->
                                bySeverity
                                        .computeIfAbsent(
                                                j.finding().severity(), s -> new ArrayList<>())
                                        .add(j));
        for (Severity s : SEVERITIES) {
            List<Verdict.Judged> group = bySeverity.get(s);
            if (group != null) {
                severityGroup(h, s, group);
            }
        }
        if (!v.expiredEntries().isEmpty()) {
            h.append("<h3>Expired allowlist entries (not honoured)</h3>\n<ul class=\"expired\">\n");
            for (AllowlistEntry e : v.expiredEntries()) {
                h.append("<li><code>")
                        .append(esc(e.id()))
                        .append("</code>: ")
                        .append(esc(e.reason()))
                        .append(" (expired ")
                        .append(esc(e.expires()))
                        .append(")</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<p class=\"meta\">policy <code>")
                .append(esc(v.policyDigest()))
                .append("</code>, ")
                .append(esc(v.scanner().name()))
                .append(' ')
                .append(esc(v.scanner().version()))
                .append(v.dbUpdatedAt().map(d -> ", DB updated " + esc(d)).orElse(""))
                .append(", judged ")
                .append(v.time())
                .append("</p>\n</section>\n");
    }

    private static void severityGroup(
            StringBuilder h, Severity severity, List<Verdict.Judged> group) {
        Map<Verdict.Status, Integer> judged = byStatus(group);
        boolean open = judged.containsKey(Verdict.Status.FAILING) && group.size() <= OPEN_MAX;
        h.append("<details class=\"severity ")
                .append(severity)
                .append('"')
                .append(open ? " open=\"open\"" : "")
                .append("><summary>")
                .append(severity)
                .append(": ")
                .append(group.size())
                .append(group.size() == 1 ? " finding" : " findings");
        List<String> parts = new ArrayList<>();
        for (Verdict.Status s : Verdict.Status.values()) {
            if (judged.containsKey(s)) {
                parts.add(judged.get(s) + " " + statusLabel(s));
            }
        }
        h.append(" (")
                .append(String.join(", ", parts))
                .append(")</summary>\n<div class=\"scroll\"><table class=\"findings\">\n")
                .append(
                        "<thead><tr><th class=\"id\">vulnerability</th><th class=\"pkg\">package</th><th class=\"ver\">installed</th>"
                                + "<th class=\"ver\">fixed</th><th class=\"why\">judgement</th><th>title</th></tr></thead>\n<tbody>\n");
        for (Verdict.Judged j : group) {
            Vulnerability f = j.finding();
            String name = Findings.judgementName(j.status());
            h.append("<tr class=\"finding ")
                    .append(name)
                    .append("\"><td>")
                    .append(
                            Findings.safeUrl(f.primaryUrl())
                                    .map(
                                            url ->
                                                    "<a href=\""
                                                            + esc(url)
                                                            + "\" rel=\"noopener noreferrer\">"
                                                            + esc(f.id())
                                                            + "</a>")
                                    .orElse(esc(f.id())))
                    .append("</td><td>")
                    .append(esc(f.packageName()))
                    .append("</td><td>")
                    .append(esc(f.installedVersion()))
                    .append("</td><td>")
                    .append(esc(f.fixedVersion().orElse("no fix")))
                    .append("</td><td><span class=\"judgement ")
                    .append(name)
                    .append("\">")
                    .append(statusLabel(j.status()))
                    .append("</span>");
            switch (j.status()) {
                case ALLOWLISTED ->
                        j.entry()
                                .ifPresent(
                                        e ->
                                                h.append(" until ")
                                                        .append(esc(e.expires()))
                                                        .append(": ")
                                                        .append(esc(e.reason())));
                case IGNORED_UNFIXED ->
                        h.append(": no fixed version, and the policy ignores unfixed findings");
                default -> {
                    // the label says it all
                }
            }
            h.append("</td><td>").append(esc(f.title())).append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n</details>\n");
    }

    private static Map<Verdict.Status, Integer> byStatus(List<Verdict.Judged> findings) {
        Map<Verdict.Status, Integer> out = new EnumMap<>(Verdict.Status.class);
        findings.forEach(j -> out.merge(j.status(), 1, Integer::sum));
        return out;
    }

    private static void count(StringBuilder h, int n) {
        h.append(n == 0 ? "<td class=\"n zero\">0</td>" : "<td class=\"n\">" + n + "</td>");
    }

    private static String outcome(Verdict.Outcome outcome) {
        return "<span class=\"" + outcome + "\">" + outcome + "</span>";
    }

    private static String platformLabel(Verdict v) {
        return v.platform().map(Object::toString).orElse("image");
    }

    private static String statusLabel(Verdict.Status status) {
        return Findings.judgementName(status).replace('-', ' ');
    }

    static String esc(String s) {
        return Message.neutralize(s)
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
