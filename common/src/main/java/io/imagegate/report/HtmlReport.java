package io.imagegate.report;

import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.message.Message;
import io.imagegate.policy.Verdict;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The HTML report: one page and the stylesheet it links, no inline style or script; every text escaped, links only to http(s). */
final class HtmlReport {
    private HtmlReport() {
    }

    static byte[] bytes(List<Verdict> verdicts) {
        // No inline style or script: Jenkins serves archived files under the CSP "style-src 'self'", which blocks them.
        // Void elements are closed (<meta/>), so the page is also well-formed XML, which tools and tests can parse.
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>imagegate scan</title>\n")
                .append("<link rel=\"stylesheet\" href=\"").append(ScanReports.STYLESHEET).append("\"/>\n")
                .append("</head><body>\n<h1>imagegate scan</h1>\n");
        long failed = verdicts.stream().filter(v -> !v.passed()).count();
        h.append("<p>").append(verdicts.size()).append(" image(s) scanned, ").append(failed).append(" failed.</p>\n");
        for (Verdict v : verdicts) {
            h.append("<h2>").append(esc(Findings.subject(v))).append(" <span class=\"").append(v.outcome()).append("\">")
                    .append(v.outcome()).append("</span></h2>\n");
            v.reasons().forEach(r -> h.append("<p>").append(esc(r)).append("</p>\n"));
            h.append("<table><tr>");
            for (Severity s : Severity.values()) {
                h.append("<th>").append(s).append("</th>");
            }
            h.append("</tr><tr>");
            for (Severity s : Severity.values()) {
                h.append("<td>").append(v.counts().getOrDefault(s, 0)).append("</td>");
            }
            h.append("</tr></table>\n");
            if (!v.failing().isEmpty()) {
                h.append("<table><tr><th>severity</th><th>vulnerability</th><th>package</th><th>installed</th><th>fixed</th><th>title</th></tr>\n");
                for (Vulnerability f : v.failing()) {
                    h.append("<tr class=\"").append(f.severity()).append("\"><td>").append(f.severity()).append("</td><td>")
                            .append(Findings.safeUrl(f.primaryUrl()).map(url -> "<a href=\"" + esc(url) + "\" rel=\"noopener noreferrer\">" + esc(f.id()) + "</a>")
                                    .orElse(esc(f.id())))
                            .append("</td><td>").append(esc(f.packageName())).append("</td><td>").append(esc(f.installedVersion()))
                            .append("</td><td>").append(esc(f.fixedVersion().orElse("no fix"))).append("</td><td>").append(esc(f.title()))
                            .append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
            if (!v.allowlisted().isEmpty()) {
                h.append("<p>Allowlisted:</p><ul>\n");
                v.allowlisted().forEach(a -> h.append("<li>").append(esc(a.finding().id())).append(" in ").append(esc(a.finding().packageName()))
                        .append(": ").append(esc(a.entry().reason())).append(" (until ").append(esc(a.entry().expires())).append(")</li>\n"));
                h.append("</ul>\n");
            }
            if (!v.expiredEntries().isEmpty()) {
                h.append("<p>Expired allowlist entries (not honoured):</p><ul>\n");
                v.expiredEntries().forEach(e -> h.append("<li>").append(esc(e.id())).append(": ").append(esc(e.reason()))
                        .append(" (expired ").append(esc(e.expires())).append(")</li>\n"));
                h.append("</ul>\n");
            }
            h.append("<p><small>policy ").append(esc(v.policyDigest())).append(", ").append(esc(v.scanner().name())).append(' ').append(esc(v.scanner().version()))
                    .append(v.dbUpdatedAt().map(d -> ", DB updated " + esc(d)).orElse("")).append(", ").append(v.time()).append("</small></p>\n");
        }
        return h.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The stylesheet every HTML report links, written beside it. */
    static byte[] stylesheet() {
        return ("body{font-family:system-ui,sans-serif;margin:2em;color:#222}h2{margin-top:2em}\n"
                + ".PASS{color:#1a7f37}.FAIL{color:#cf222e}table{border-collapse:collapse;margin:.5em 0}\n"
                + "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#f4f4f4}\n"
                + ".CRITICAL{background:#ffd7d5}.HIGH{background:#ffe4cc}.MEDIUM{background:#fff8c5}\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String esc(String s) {
        return Message.neutralize(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
