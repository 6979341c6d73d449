package io.imagegate.report;

import io.imagegate.message.Field;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.policy.AllowlistEntry;
import io.imagegate.policy.Verdict;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes scan verdicts for people and machines: JSON, SARIF 2.1.0, JUnit XML (a test case per image and
 * platform, failing when the verdict fails) and one self-contained HTML page. Each file is written to a
 * temporary file and moved into place, so a reader never sees half a report.
 */
public final class ScanReports {
    public static final String JSON_FILE = "imagegate-scan.json";
    public static final String SARIF_FILE = "imagegate-scan.sarif";
    public static final String JUNIT_FILE = "imagegate-scan-junit.xml";
    public static final String HTML_FILE = "imagegate-scan.html";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ScanReports() {
    }

    /** Writes all four formats into {@code dir} (created if needed); returns their paths. */
    public static List<Path> writeAll(Path dir, List<Verdict> verdicts) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw ImageGateException.configuration("report.dir", "cannot create the report directory {0} ({1}): {2}", dir, Field.REPORT_DIR,
                    String.valueOf(e.getMessage()));
        }
        return List.of(
                write(dir.resolve(JSON_FILE), json(verdicts)),
                write(dir.resolve(SARIF_FILE), sarif(verdicts)),
                write(dir.resolve(JUNIT_FILE), junit(verdicts)),
                write(dir.resolve(HTML_FILE), html(verdicts)));
    }

    private static Path write(Path file, byte[] content) {
        try {
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            Files.write(temp, content);
            return Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw ImageGateException.configuration("report.write", "cannot write the report {0}: {1}", file, String.valueOf(e.getMessage()));
        }
    }

    private static String subject(Verdict v) {
        return v.image() + v.platform().map(p -> " (" + p + ")").orElse("");
    }

    // ---------------------------------------------------------------- text

    /**
     * The verdicts as plain lines, for a console or build log: verdict, counts, reasons, findings. Every line is
     * neutralised: a newline or an escape sequence in a package name cannot forge a line or move the cursor.
     */
    public static List<String> text(List<Verdict> verdicts) {
        List<String> lines = new java.util.ArrayList<>();
        for (Verdict v : verdicts) {
            lines.add(v.outcome() + " " + subject(v));
            lines.add("  " + java.util.Arrays.stream(Severity.values()).sorted(java.util.Comparator.reverseOrder())
                    .map(s -> s + " " + v.counts().getOrDefault(s, 0)).collect(java.util.stream.Collectors.joining(", ")));
            v.reasons().forEach(r -> lines.add("  " + r));
            v.failing().forEach(f -> lines.add("  " + f.severity() + " " + f.id() + " " + f.packageName() + " " + f.installedVersion()
                    + f.fixedVersion().map(x -> " -> " + x).orElse(" (no fix)")));
            v.allowlisted().forEach(a -> lines.add("  allowlisted " + a.finding().id() + " " + a.finding().packageName() + ": " + a.entry().reason()));
            v.expiredEntries().forEach(e -> lines.add("  expired allowlist entry " + e.id() + " (" + e.expires() + ") not honoured"));
        }
        return lines.stream().map(Message::neutralize).toList();
    }

    // ---------------------------------------------------------------- JSON

    static byte[] json(List<Verdict> verdicts) {
        ArrayNode out = JSON.createArrayNode();
        for (Verdict v : verdicts) {
            out.add(json(v));
        }
        try {
            return JSON.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One verdict as JSON: every finding the scanner reported, each with its status (failing, allowlisted,
     * below-threshold, ignored-unfixed), the policy's counts and the scanner's own counts.
     */
    public static ObjectNode json(Verdict v) {
        ObjectNode node = JSON.createObjectNode();
        node.put("image", v.image().toString());
        v.platform().ifPresent(p -> node.put("platform", p.toString()));
        node.put("verdict", v.outcome().name());
        ArrayNode reasons = node.putArray("reasons");
        v.reasons().forEach(reasons::add);
        node.put("policyDigest", v.policyDigest());
        node.put("scanner", v.scanner().name());
        node.put("scannerVersion", v.scanner().version());
        v.dbUpdatedAt().ifPresent(d -> node.put("dbUpdatedAt", d));
        node.put("time", v.time().toString());
        ObjectNode counts = node.putObject("counts");
        for (Severity s : Severity.values()) {
            counts.put(s.name(), v.counts().getOrDefault(s, 0));
        }
        ObjectNode reported = node.putObject("reportedCounts");
        Map<Severity, Integer> all = v.reportedCounts();
        for (Severity s : Severity.values()) {
            reported.put(s.name(), all.getOrDefault(s, 0));
        }
        ArrayNode findings = node.putArray("findings");
        for (Verdict.Judged j : v.findings()) {
            ObjectNode n = findings.addObject();
            finding(n, j.finding());
            n.put("judgement", j.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            j.entry().ifPresent(e -> {
                n.put("reason", e.reason());
                n.put("expires", e.expires());
            });
        }
        ArrayNode expired = node.putArray("expiredAllowlistEntries");
        for (AllowlistEntry e : v.expiredEntries()) {
            expired.addObject().put("id", e.id()).put("reason", e.reason()).put("expires", e.expires());
        }
        return node;
    }

    private static void finding(ObjectNode n, Vulnerability f) {
        n.put("id", f.id());
        n.put("package", f.packageName());
        n.put("installedVersion", f.installedVersion());
        f.fixedVersion().ifPresent(x -> n.put("fixedVersion", x));
        n.put("status", f.status());
        n.put("severity", f.severity().name());
        f.cvssScore().ifPresent(s -> n.put("cvssScore", s));
        n.put("title", f.title());
        n.put("primaryUrl", f.primaryUrl());
    }

    // ---------------------------------------------------------------- SARIF 2.1.0

    static byte[] sarif(List<Verdict> verdicts) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "imagegate");
        driver.put("informationUri", "https://github.com/imagegate/imagegate");
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        ArrayNode results = run.putArray("results");
        for (Verdict v : verdicts) {
            for (Vulnerability f : v.failing()) {
                result(results, rules, ruleIndex, v, f, "error", null);
            }
            for (Verdict.Allowed a : v.allowlisted()) {
                result(results, rules, ruleIndex, v, a.finding(), "note", a.entry().reason());
            }
            if (!v.passed()) {
                verdictResult(results, rules, ruleIndex, v);
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rule of a failed verdict: every image that failed is a result, also one that failed without a failing finding. */
    static final String POLICY_RULE = "imagegate.policy";

    /**
     * One error per failed image, with the verdict's reasons: a FAIL for a reason that is no finding (a scan that
     * checked nothing, a DB too old) must not look clean in a code-scanning view.
     */
    private static void verdictResult(ArrayNode results, ArrayNode rules, Map<String, Integer> ruleIndex, Verdict v) {
        int index = rule(rules, ruleIndex, POLICY_RULE, rule -> {
            rule.putObject("shortDescription").put("text", "The image failed imagegate's policy");
            rule.putObject("properties").putArray("tags").add("security");
        });
        addResult(results, POLICY_RULE, index, "error", "FAIL " + subject(v) + ": " + String.join("; ", v.reasons()), v);
    }

    private static void result(ArrayNode results, ArrayNode rules, Map<String, Integer> ruleIndex, Verdict v, Vulnerability f,
                               String level, String suppression) {
        int index = rule(rules, ruleIndex, f.id(), rule -> {
            rule.putObject("shortDescription").put("text", f.title().isEmpty() ? f.id() : f.title());
            safeUrl(f.primaryUrl()).ifPresent(url -> rule.put("helpUri", url));
            ObjectNode properties = rule.putObject("properties");
            properties.putArray("tags").add("security").add("vulnerability");
            f.cvssScore().ifPresent(s -> properties.put("security-severity", String.format(Locale.ROOT, "%.1f", s)));
        });
        ObjectNode r = addResult(results, f.id(), index, level, f.severity() + " " + f.id() + " in " + f.packageName() + " "
                + f.installedVersion() + f.fixedVersion().map(x -> " (fixed in " + x + ")").orElse(" (no fix)") + " in " + subject(v), v);
        if (suppression != null) {
            r.putArray("suppressions").addObject().put("kind", "external").put("justification", suppression);
        }
    }

    /** The index of rule {@code id}, added (and described by {@code describe}) the first time it is used. */
    private static int rule(ArrayNode rules, Map<String, Integer> ruleIndex, String id, java.util.function.Consumer<ObjectNode> describe) {
        Integer index = ruleIndex.get(id);
        if (index == null) {
            index = rules.size();
            ruleIndex.put(id, index);
            ObjectNode rule = rules.addObject();
            rule.put("id", id);
            describe.accept(rule);
        }
        return index;
    }

    private static ObjectNode addResult(ArrayNode results, String ruleId, int index, String level, String message, Verdict v) {
        ObjectNode r = results.addObject();
        r.put("ruleId", ruleId);
        r.put("ruleIndex", index);
        r.put("level", level);
        r.putObject("message").put("text", message);
        // An image reference is no URI (host:port reads as a scheme); oci:// is the form Helm and ORAS use.
        r.putArray("locations").addObject().putObject("physicalLocation").putObject("artifactLocation").put("uri", "oci://" + v.image());
        return r;
    }

    // ---------------------------------------------------------------- JUnit XML

    static byte[] junit(List<Verdict> verdicts) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element suites = doc.createElement("testsuites");
            doc.appendChild(suites);
            Element suite = doc.createElement("testsuite");
            suites.appendChild(suite);
            long failures = verdicts.stream().filter(v -> !v.passed()).count();
            suite.setAttribute("name", "imagegate scan");
            suite.setAttribute("tests", String.valueOf(verdicts.size()));
            suite.setAttribute("failures", String.valueOf(failures));
            suite.setAttribute("errors", "0");
            suite.setAttribute("skipped", "0");
            for (Verdict v : verdicts) {
                Element testcase = doc.createElement("testcase");
                testcase.setAttribute("classname", xml("imagegate.scan." + v.image().name()));
                testcase.setAttribute("name", xml(subject(v)));
                testcase.setAttribute("time", "0");
                if (!v.passed()) {
                    Element failure = doc.createElement("failure");
                    failure.setAttribute("message", xml(String.join("; ", v.reasons())));
                    failure.setAttribute("type", "PolicyViolation");
                    StringBuilder body = new StringBuilder();
                    v.failing().forEach(f -> body.append(f.severity()).append(' ').append(f.id()).append(' ').append(f.packageName())
                            .append(' ').append(f.installedVersion()).append(f.fixedVersion().map(x -> " -> " + x).orElse(" (no fix)")).append('\n'));
                    failure.setTextContent(xml(body.toString()).replace("\\x0a", "\n"));
                    testcase.appendChild(failure);
                }
                suite.appendChild(testcase);
            }
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- HTML

    static byte[] html(List<Verdict> verdicts) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>imagegate scan</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}h2{margin-top:2em}")
                .append(".PASS{color:#1a7f37}.FAIL{color:#cf222e}table{border-collapse:collapse;margin:.5em 0}")
                .append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#f4f4f4}")
                .append(".CRITICAL{background:#ffd7d5}.HIGH{background:#ffe4cc}.MEDIUM{background:#fff8c5}")
                .append("</style></head><body>\n<h1>imagegate scan</h1>\n");
        long failed = verdicts.stream().filter(v -> !v.passed()).count();
        h.append("<p>").append(verdicts.size()).append(" image(s) scanned, ").append(failed).append(" failed.</p>\n");
        for (Verdict v : verdicts) {
            h.append("<h2>").append(esc(subject(v))).append(" <span class=\"").append(v.outcome()).append("\">")
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
                            .append(safeUrl(f.primaryUrl()).map(url -> "<a href=\"" + esc(url) + "\" rel=\"noopener noreferrer\">" + esc(f.id()) + "</a>")
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

    private static String esc(String s) {
        return Message.neutralize(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** A link target only when it is an http(s) URL: a {@code javascript:} or {@code data:} URL from scanner data is text. */
    static java.util.Optional<String> safeUrl(String url) {
        if (url == null || url.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            java.net.URI uri = new java.net.URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getRawAuthority() != null
                    ? java.util.Optional.of(uri.toString()) : java.util.Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return java.util.Optional.empty();
        }
    }

    /** Text safe in XML 1.0: characters XML forbids (most controls, lone surrogates) written as visible escapes. */
    static String xml(String s) {
        return Message.neutralize(s);
    }
}
