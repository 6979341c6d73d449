package io.imagegate.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.policy.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SARIF 2.1.0 report: a rule per vulnerability, a result per finding the scanner reported (as
 * Trivy's own SARIF lists them all), and an error per failed verdict. A finding's level says how
 * the policy judged it: failing ones are errors, below-threshold ones warnings (MEDIUM and above)
 * or notes, and the ones the policy set aside (allowlisted, ignored unfixed) notes with an external
 * suppression saying why, which code-scanning UIs show as dismissed.
 */
final class SarifReport {
    private SarifReport() {}

    static byte[] bytes(List<Verdict> verdicts) {
        ObjectNode root = Findings.JSON.createObjectNode();
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
            for (Verdict.Judged j : v.findings()) {
                result(results, rules, ruleIndex, v, j);
            }
            if (!v.passed()) {
                verdictResult(results, rules, ruleIndex, v);
            }
        }
        try {
            return Findings.JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The rule of a failed verdict: every image that failed is a result, also one that failed
     * without a failing finding.
     */
    static final String POLICY_RULE = "imagegate.policy";

    /**
     * One error per failed image, with the verdict's reasons: a FAIL for a reason that is no
     * finding (a scan that checked nothing, a DB too old) must not look clean in a code-scanning
     * view.
     */
    private static void verdictResult(
            ArrayNode results, ArrayNode rules, Map<String, Integer> ruleIndex, Verdict v) {
        int index =
                rule(
                        rules,
                        ruleIndex,
                        POLICY_RULE,
                        rule -> {
                            rule.putObject("shortDescription")
                                    .put("text", "The image failed imagegate's policy");
                            rule.putObject("properties").putArray("tags").add("security");
                        });
        addResult(
                results,
                POLICY_RULE,
                index,
                "error",
                "FAIL " + Findings.subject(v) + ": " + String.join("; ", v.reasons()),
                v);
    }

    private static void result(
            ArrayNode results,
            ArrayNode rules,
            Map<String, Integer> ruleIndex,
            Verdict v,
            Verdict.Judged j) {
        Vulnerability f = j.finding();
        int index =
                rule(
                        rules,
                        ruleIndex,
                        f.id(),
                        rule -> {
                            rule.putObject("shortDescription")
                                    .put("text", f.title().isEmpty() ? f.id() : f.title());
                            Findings.safeUrl(f.primaryUrl())
                                    .ifPresent(url -> rule.put("helpUri", url));
                            ObjectNode properties = rule.putObject("properties");
                            properties.putArray("tags").add("security").add("vulnerability");
                            f.cvssScore()
                                    .ifPresent(
                                            s ->
                                                    properties.put(
                                                            "security-severity",
                                                            String.format(Locale.ROOT, "%.1f", s)));
                        });
        ObjectNode r =
                addResult(
                        results,
                        f.id(),
                        index,
                        level(j),
                        f.severity()
                                + " "
                                + f.id()
                                + " in "
                                + f.packageName()
                                + " "
                                + f.installedVersion()
                                + f.fixedVersion()
                                        .map(x -> " (fixed in " + x + ")")
                                        .orElse(" (no fix)")
                                + " in "
                                + Findings.subject(v)
                                + ": "
                                + Findings.judgement(j),
                        v);
        // Distinct per image, platform, vulnerability and package: a code-scanning UI keeps them
        // apart, and the same across scans.
        r.putObject("partialFingerprints").put("imagegate/v1", fingerprint(v, f));
        ObjectNode properties = r.putObject("properties");
        properties.put("judgement", Findings.judgementName(j.status()));
        properties.put("severity", f.severity().name());
        v.platform().ifPresent(p -> properties.put("platform", p.toString()));
        j.entry().ifPresent(e -> properties.put("allowlistExpires", e.expires()));
        switch (j.status()) {
            case ALLOWLISTED ->
                    suppress(
                            r,
                            "allowlisted until "
                                    + j.entry().orElseThrow().expires()
                                    + ": "
                                    + j.entry().orElseThrow().reason());
            case IGNORED_UNFIXED ->
                    suppress(
                            r,
                            "ignored unfixed: no fixed version exists, and the policy ignores unfixed findings"
                                    + " (ignoreUnfixed: true)");
            default -> {
                // failing and below-threshold findings count; nothing suppresses them
            }
        }
    }

    /**
     * Failing: error. Below the threshold: a warning from MEDIUM up, else a note. Set aside by the
     * policy: a note.
     */
    static String level(Verdict.Judged j) {
        return switch (j.status()) {
            case FAILING -> "error";
            case BELOW_THRESHOLD ->
                    j.finding().severity().atLeast(Severity.MEDIUM) ? "warning" : "note";
            case ALLOWLISTED, IGNORED_UNFIXED -> "note";
        };
    }

    private static void suppress(ObjectNode result, String justification) {
        result.putArray("suppressions")
                .addObject()
                .put("kind", "external")
                .put("status", "accepted")
                .put("justification", justification);
    }

    private static String fingerprint(Verdict v, Vulnerability f) {
        String identity =
                String.join(
                        "\n",
                        v.image().name(),
                        v.platform().map(Object::toString).orElse(""),
                        f.id(),
                        f.packageName(),
                        f.installedVersion());
        return java.util.HexFormat.of()
                .formatHex(
                        io.imagegate.reference.Digest.newSha256()
                                .digest(identity.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The index of rule {@code id}, added (and described by {@code describe}) the first time it is
     * used.
     */
    private static int rule(
            ArrayNode rules,
            Map<String, Integer> ruleIndex,
            String id,
            java.util.function.Consumer<ObjectNode> describe) {
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

    private static ObjectNode addResult(
            ArrayNode results, String ruleId, int index, String level, String message, Verdict v) {
        ObjectNode r = results.addObject();
        r.put("ruleId", ruleId);
        r.put("ruleIndex", index);
        r.put("level", level);
        r.putObject("message").put("text", message);
        // An image reference is no URI (host:port reads as a scheme); oci:// is the form Helm and
        // ORAS use.
        r.putArray("locations")
                .addObject()
                .putObject("physicalLocation")
                .putObject("artifactLocation")
                .put("uri", "oci://" + v.image());
        return r;
    }
}
